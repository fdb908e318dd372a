// Case "tax": what penstock costs the rest of the program, outside any flow. A loop of
// 1,000,000 awaits, none of them in a flow, timed after one flow has run, against the same loop
// in a process where penstock never ran:
//
// - with OpenTelemetry (its AsyncLocalStorage context manager active, one span having run on
//   both sides), penstock configured with the OpenTelemetry backend: on Node 20 and 22 a second
//   context would give every promise of the process a second async-hook `init`;
// - without OpenTelemetry, penstock with its default logging backend, against one plain
//   AsyncLocalStorage having run (a program that keeps one context of its own).
//
// The tax is process-wide and cannot be undone in a process, so each side runs in a process of
// its own: one process per side and round, the sides alternating; each process times the loop
// 5 times after 2 warm-up loops and reports its median. The ratio is of processes seconds
// apart, not of rounds moments apart: more spread than the in-process cases.
//
//   node bench/tax.bench.mjs [--rounds 7] [--quick]
import { AsyncLocalStorage } from "node:async_hooks";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { caseArgs, costRow, emit, load, median } from "./support.mjs";

const args = caseArgs({ rounds: 7, quickRounds: 3 });
const AWAITS = 1_000_000;

async function loop() {
  let sink = 0;
  for (let i = 0; i < AWAITS; i++) sink += await Promise.resolve(i);
  return sink;
}

async function timeLoops() {
  for (let i = 0; i < 2; i++) await loop();
  const times = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await loop();
    times.push(((performance.now() - started) * 1e6) / AWAITS);
  }
  return median(times);
}

/** One side, in this process: set up, run one flow (or its stand-in), time the loop outside it. */
async function side(name) {
  if (name.startsWith("otel")) {
    const { context, trace } = await import("@opentelemetry/api");
    const { AsyncLocalStorageContextManager } = await import("@opentelemetry/context-async-hooks");
    const { BasicTracerProvider } = await import("@opentelemetry/sdk-trace-base");
    const noopProcessor = { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [noopProcessor] }));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const tracer = trace.getTracer("bench");
    if (name === "otel-penstock") {
      const penstock = await load(args.dist);
      const { otelBackend } = await load(args.dist, "otel");
      penstock.configure({ backend: otelBackend({ tracer }) });
      const work = penstock.step("work", async (n) => n + 1, { flow: "tax", after: "tax" });
      await penstock.entrypoint("tax", async () => work(1), { flow: "tax" })();
    } else {
      // The same span, by hand: OpenTelemetry's context has run on both sides.
      await tracer.startActiveSpan("tax", async (span) => {
        await Promise.resolve();
        span.end();
      });
    }
  } else if (name === "plain-penstock") {
    const penstock = await load(args.dist);
    const { default: pino } = await import("pino");
    penstock.configure({ logger: pino({ name: "bench" }, { write() {} }) });
    const work = penstock.step("work", async (n) => n + 1, { flow: "tax", after: "tax" });
    await penstock.entrypoint("tax", async () => work(1), { flow: "tax" })();
  } else {
    const als = new AsyncLocalStorage();
    await als.run({ flow: "tax" }, async () => Promise.resolve(1));
  }
  return timeLoops();
}

if (args.child !== undefined) {
  process.stdout.write(`${await side(args.child)}\n`);
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const runSide = (name) => Number(execFileSync(process.execPath, [self, "--dist", args.dist, "--child", name], { encoding: "utf8" }));

function row(label, penstockSide, twinSide) {
  const times = { penstock: [], twin: [] };
  for (let round = 0; round < args.rounds; round++) {
    const order = round % 2 === 0 ? ["penstock", "twin"] : ["twin", "penstock"];
    for (const which of order) times[which].push(runSide(which === "penstock" ? penstockSide : twinSide));
  }
  return costRow(label, times.penstock, times.twin, 1.1);
}

emit({
  title: "tax",
  description: `${AWAITS.toLocaleString("en")} awaits outside any flow after one flow ran, per await: penstock against the same process without penstock; one process per side and round, ${args.rounds} alternating rounds, each process's median of 5 timed loops.`,
  rows: [
    row("tax: awaits outside any flow after one flow ran, OTel context manager active, vs the same without penstock", "otel-penstock", "otel-twin"),
    row("tax, no OTel: the same loop vs one plain AsyncLocalStorage having run", "plain-penstock", "plain-twin"),
  ],
});
