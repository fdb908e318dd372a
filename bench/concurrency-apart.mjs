// Not a case of the suite (run.mjs runs *.bench.mjs only): the concurrency case's logging
// setup with each side in its own process, for docs/performance.md ("Goals at the line").
// 10,000 flows of 10 awaited steps, 3 warm-up runs, then 5 timed runs of one side.
//
//   node --expose-gc bench/concurrency-apart.mjs penstock [--dist dist]
//   node --expose-gc bench/concurrency-apart.mjs twin
//   (add --cpu-prof to see where the time goes)
import { AsyncLocalStorage } from "node:async_hooks";
import pino from "pino";
import { load, randomHex, spanId } from "./support.mjs";

const side = process.argv[2] === "twin" ? "twin" : "penstock";
const distIndex = process.argv.indexOf("--dist");
const penstock = await load(distIndex > 0 ? process.argv[distIndex + 1] : "dist");
const logger = pino({ name: "bench" }, { write() {} });
penstock.configure({ backend: penstock.loggingBackend({ logger }) });
const FLOWS = 10000, STEPS = 10;
const work = async (i) => { await Promise.resolve(); return i + 1; };
const steps = Array.from({ length: STEPS }, (_, i) => penstock.step(`s${i}`, work, { flow: "concurrency", after: i === 0 ? "run" : `s${i - 1}` }));
const runFlow = penstock.entrypoint("run", async (n) => { for (const step of steps) n = await step(n); return n; }, { flow: "concurrency" });
const als = new AsyncLocalStorage();
function twinStep(name, fn, log) {
  return (n) => {
    const parent = als.getStore();
    const ctx = { correlationId: parent.correlationId, flow: "concurrency", step: name, spanId: spanId() };
    return als.run(ctx, () => {
      const fields = () => ({ flow: "concurrency", step: name, kind: "step", correlation_id: ctx.correlationId, span_id: ctx.spanId, parent_span_id: parent.spanId });
      logger.info(fields(), "step.start");
      const started = performance.now();
      return fn(n).then((value) => { const record = fields(); record.duration_ms = Math.round((performance.now() - started) * 100) / 100; record.outcome = "ok"; logger.info(record, "step.end"); return value; });
    });
  };
}
const twinSteps = steps.map((_, i) => twinStep(`s${i}`, work, true));
const body = twinStep("run", async (n) => { for (const step of twinSteps) n = await step(n); return n; }, true);
const twin = (n) => als.run({ correlationId: randomHex(16), flow: "concurrency", step: undefined, spanId: undefined }, body, n);
const fn = side === "twin" ? twin : runFlow;
// Both sides run once, so that the process holds the same code as the bench case does.
await Promise.all([twin(1), runFlow(1)]);
for (let r = 0; r < 8; r++) {
  globalThis.gc?.();
  const t = performance.now();
  const flows = new Array(FLOWS);
  for (let i = 0; i < FLOWS; i++) flows[i] = fn(i);
  await Promise.all(flows);
  if (r >= 3) console.log(side, (performance.now() - t).toFixed(0), "ms");
}
