// Case "concurrency": 10,000 flows started at once, each an entrypoint awaiting 10 async
// steps in turn (each step does `await Promise.resolve()`), against the ALS twin: als.run per
// flow and per step. Throughput ratio = twin time / penstock time (higher is better), with a
// no-op backend (penstock's own cost) and with the logging backend to a discarding stream
// (the twin then writes the same two pino lines per step). Each timed run starts after a full
// garbage collection (the case runs itself under `node --expose-gc`): otherwise the garbage
// one side leaves is collected while the other side is timed, and which side pays for it
// depends on the order, by 10 % and more. Rows beside the goals, timed in the same rounds:
// penstock with observation off against the twin (each backend), and for the no-op backend the
// twin with one bare reaction per async call (the floor, see twinStep) against the twin, and
// penstock against that floor twin.
//
//   node bench/concurrency.bench.mjs [--dist dist] [--rounds 7] [--quick]
import { AsyncLocalStorage } from "node:async_hooks";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { Bench } from "tinybench";
import { caseArgs, emit, formatMs, load, median, randomHex, spanId, ratioSummary } from "./support.mjs";

const args = caseArgs({ rounds: 7, quickRounds: 3 });
if (typeof globalThis.gc !== "function") {
  const self = fileURLToPath(import.meta.url);
  process.stdout.write(execFileSync(process.execPath, ["--expose-gc", self, ...process.argv.slice(2)], { encoding: "utf8", maxBuffer: 1 << 24 }));
  process.exit(0);
}
const ITERATIONS = 3;
const penstock = await load(args.dist);
const logger = pino({ name: "bench" }, { write() {} });
const noop = { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined };
const logging = penstock.loggingBackend({ logger });

const FLOWS = 10_000;
const STEPS = 10;
const work = async (i) => {
  await Promise.resolve();
  return i + 1;
};

// penstock: one entrypoint, ten steps.
const steps = Array.from({ length: STEPS }, (_, i) => penstock.step(`s${i}`, work, { flow: "concurrency", after: i === 0 ? "run" : `s${i - 1}` }));
const runFlow = penstock.entrypoint(
  "run",
  async (n) => {
    for (const step of steps) n = await step(n);
    return n;
  },
  { flow: "concurrency" },
);

// The twin: the same shape with a context per flow and per step. `react` (no-op case only):
// one bare reaction per async call as well, the least that learning when each call ended costs
// (V8 tells JavaScript that a promise settled only through a reaction); penstock's observation
// needs that end (exact error counts, "X finished before Y began"), so this twin is its floor.
const als = new AsyncLocalStorage();
const ignore = () => {};
function twinStep(name, fn, log, react = false) {
  return (n) => {
    const parent = als.getStore();
    const ctx = { correlationId: parent.correlationId, flow: "concurrency", step: name, spanId: spanId() };
    return als.run(ctx, () => {
      if (react) {
        const promise = fn(n);
        promise.then(ignore, ignore);
        return promise;
      }
      if (!log) return fn(n);
      const fields = () => ({ flow: "concurrency", step: name, kind: "step", correlation_id: ctx.correlationId, span_id: ctx.spanId, parent_span_id: parent.spanId });
      logger.info(fields(), "step.start");
      const started = performance.now();
      return fn(n).then((value) => {
        const record = fields();
        record.duration_ms = Math.round((performance.now() - started) * 100) / 100;
        record.outcome = "ok";
        logger.info(record, "step.end");
        return value;
      });
    });
  };
}
function twinFlow(log, react = false) {
  const twinSteps = steps.map((_, i) => twinStep(`s${i}`, work, log, react));
  const body = twinStep("run", async (n) => {
    for (const step of twinSteps) n = await step(n);
    return n;
  }, log, react);
  return (n) => als.run({ correlationId: randomHex(16), flow: "concurrency", step: undefined, spanId: undefined }, body, n);
}

const all = (fn) => async () => {
  const flows = new Array(FLOWS);
  for (let i = 0; i < FLOWS; i++) flows[i] = fn(i);
  await Promise.all(flows);
};

// A row of throughput: `twinSide`'s time over `penstockSide`'s, round by round.
function throughputRow(name, penstockSide, twinSide, goal) {
  const summary = ratioSummary(twinSide.map((twin, i) => twin / penstockSide[i]));
  return {
    case: name,
    penstock: formatMs(median(penstockSide)),
    twin: formatMs(median(twinSide)),
    ratio: summary.ratio,
    spread: summary.iqr,
    range: [summary.min, summary.max],
    goal: goal ? "≥ 0.95× throughput" : "— (throughput)",
    ...(goal ? { met: summary.ratio >= 0.95 } : {}),
    rounds: summary.rounds,
  };
}

async function measure(backend, log) {
  penstock.configure({ backend });
  // Beside penstock and its twin, in the same rounds: penstock with observation off, and for
  // the no-op backend the floor twin.
  const tasks = { penstock: all(runFlow), twin: all(twinFlow(log)), unobserved: all(runFlow), ...(log ? {} : { floor: all(twinFlow(false, true)) }) };
  const unobserved = { beforeAll: () => penstock.configure({ observe: false }), afterAll: () => penstock.configure({ observe: true }) };
  const names = Object.keys(tasks);
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < args.rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    const bench = new Bench({ iterations: ITERATIONS, time: 0, warmupIterations: 1, warmupTime: 0 });
    for (const name of order) bench.add(name, tasks[name], { beforeEach: () => globalThis.gc(), ...(name === "unobserved" ? unobserved : {}) });
    await bench.run();
    for (const task of bench.tasks) times[task.name].push(task.result.latency.p50);
  }
  const backendName = log ? "logging backend" : "no-op backend";
  const rows = [
    throughputRow(`concurrency: ${FLOWS.toLocaleString("en")} flows × ${STEPS} async steps, ${backendName}`, times.penstock, times.twin, true),
    throughputRow(`concurrency, ${backendName} with configure({ observe: false })${log ? "" : " (no reaction)"}, vs the twin`, times.unobserved, times.twin, false),
  ];
  if (log) return rows;
  return [
    ...rows,
    throughputRow("concurrency floor: the twin with one bare reaction per async call, vs the twin (the best one reaction allows)", times.floor, times.twin, false),
    throughputRow("concurrency floor: no-op backend vs the twin with one bare reaction per async call", times.penstock, times.floor, false),
  ];
}

const rows = [...(await measure(noop, false)), ...(await measure(logging, true))];
emit({
  title: "concurrency",
  description: `${FLOWS} concurrent flows of ${STEPS} awaited async steps; time to finish them all (the median of ${ITERATIONS} runs per round, ${args.rounds} alternating rounds). The ratio is throughput: twin time / penstock time.`,
  rows,
});
