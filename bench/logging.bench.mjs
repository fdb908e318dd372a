// Case "logging": a step traced by the logging backend against its hand-written twin with the
// same libraries and the same records: AsyncLocalStorage + performance.now() + two pino lines
// with the same fields (flow, step, kind, correlation_id, span_id, parent_span_id; the end line
// also duration_ms and outcome). Sync and async steps.
//
// Destination: pino(opts, { write() {} }), a stream that drops each line. pino still builds
// every line (that is its cost, and the same on both sides), but no system call runs: a write
// to /dev/null would add the same fixed cost to both sides and hide penstock's share.
//
// The records are byte-identical on both sides apart from IDs, time and duration (same keys in
// the same order, the same hidden class, so pino's serialisation does the same work); both read
// the global `performance` and `logger.info` per line (a pino logger has dictionary-mode
// properties: some 15 ns a lookup, on both sides).
//
//   node bench/logging.bench.mjs [--dist dist] [--rounds 31] [--quick]
//
// Ablations, for finding where the difference goes (docs/performance.md, "Logging: where the
// per-call cost goes"), through the environment (run.mjs passes it on):
//   PENSTOCK_BENCH_LOGGER=null    a logger whose level methods only read a field: pino's two lines
//                                 removed from both sides, what is left is each side's own work
//   PENSTOCK_BENCH_OBSERVE=0      configure({ observe: false }): penstock without its observations
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import pino from "pino";
import { alternatingRounds, caseArgs, costRow, emit, load, spanId } from "./support.mjs";

const args = caseArgs();
const penstock = await load(args.dist);
const discard = { write() {} };
let read = 0;
const noLines = { on() {}, isLevelEnabled: () => true, fatal() {}, error: (record) => (read += record.span_id.length), warn() {}, info: (record) => (read += record.span_id.length), debug() {}, trace() {} };
const ablation = process.env.PENSTOCK_BENCH_LOGGER === "null";
const logger = ablation ? noLines : pino({ name: "bench" }, discard);
const observe = process.env.PENSTOCK_BENCH_OBSERVE !== "0";
penstock.configure({ backend: penstock.loggingBackend({ logger }), ...(observe ? {} : { observe: false }) });

const BATCH = 200;
const add = (a, b) => a + b;
const addAsync = async (a, b) => a + b;
let sink = 0;

// The twin, written as a careful user would: a context per call, IDs made as cheaply as
// penstock makes them, the start line, the timer, the end line (errors at level error).
const als = new AsyncLocalStorage();
function twin(step, fn) {
  return function (...callArgs) {
    const parent = als.getStore();
    const ctx = { correlationId: parent.correlationId, flow: "logging", step, spanId: spanId() };
    return als.run(ctx, () => {
      const fields = { flow: "logging", step, kind: "step", correlation_id: ctx.correlationId, span_id: ctx.spanId, parent_span_id: parent.spanId };
      logger.info(fields, "step.start");
      const started = performance.now();
      const end = (error) => {
        const record = { flow: "logging", step, kind: "step", correlation_id: ctx.correlationId, span_id: ctx.spanId, parent_span_id: parent.spanId };
        record.duration_ms = Math.round((performance.now() - started) * 100) / 100;
        if (error === undefined) {
          record.outcome = "ok";
          logger.info(record, "step.end");
        } else {
          record.outcome = "error";
          record.err = error;
          logger.error(record, "step.end");
        }
      };
      let result;
      try {
        result = fn(...callArgs);
      } catch (error) {
        end(error);
        throw error;
      }
      if (result === null || typeof result !== "object" || typeof result.then !== "function") {
        end();
        return result;
      }
      return result.then(
        (value) => {
          end();
          return value;
        },
        (error) => {
          end(error);
          throw error;
        },
      );
    });
  };
}

const stepSync = penstock.step("add", add, { flow: "logging", after: "logging" });
const stepAsync = penstock.step("add_async", addAsync, { flow: "logging", after: "logging" });
const twinSync = twin("add", add);
const twinAsync = twin("add_async", addAsync);

const sync = {
  penstock: () => {
    for (let i = 0; i < BATCH; i++) sink += stepSync(sink & 7, 1);
  },
  twin: () => {
    for (let i = 0; i < BATCH; i++) sink += twinSync(sink & 7, 1);
  },
};
const asyncTasks = {
  penstock: async () => {
    for (let i = 0; i < BATCH; i++) sink += await stepAsync(sink & 7, 1);
  },
  twin: async () => {
    for (let i = 0; i < BATCH; i++) sink += await twinAsync(sink & 7, 1);
  },
};

let syncRounds;
let asyncRounds;
// The twin's flow ID as a user would make it once per flow, a flat string (a rope, or a slice
// of a longer string, pino's escaping reads some 20-40 ns slower per line).
const root = { correlationId: randomBytes(16).toString("hex"), flow: "logging", step: "logging", spanId: spanId() };
await als.run(root, () =>
  penstock.entrypoint("logging", async () => {
    syncRounds = await alternatingRounds(sync, { rounds: args.rounds, batch: BATCH });
    asyncRounds = await alternatingRounds(asyncTasks, { rounds: args.rounds, batch: BATCH });
  })(),
);

emit({
  title: "logging",
  description: `${ablation ? "(Ablation: a logger that writes nothing.) " : ""}${observe ? "" : "(Ablation: observe: false.) "}A step traced by the logging backend (pino, a discarding stream), called from its entrypoint, against ALS + performance.now() + the same two pino lines written by hand. Per call; each sample a batch of ${BATCH} calls; ${args.rounds} alternating rounds.`,
  rows: [
    costRow("logging: sync step", syncRounds.penstock, syncRounds.twin, 1.05),
    costRow("logging: async step", asyncRounds.penstock, asyncRounds.twin, 1.05),
  ],
});
if (sink === -1 || read === -1) console.error("unreachable");
