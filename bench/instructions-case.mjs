// One side of one case for bench/instructions.mjs, run under valgrind: WARM calls, then N more
// (the driver runs it with two values of N and takes the difference, so start-up, loading and
// compilation cancel out). The twins are those of core.bench.mjs, logging.bench.mjs and
// otel.bench.mjs, for sync calls (their promise handling left out, which makes them no slower),
// each side in the context its case gives it.
//
//   PENSTOCK_IR_CASE=core|logging|otel PENSTOCK_IR_SIDE=penstock|twin|floor PENSTOCK_IR_CALLS=N
//   node bench/instructions-case.mjs --dist <patched dist>
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { caseArgs, load, spanId } from "./support.mjs";

const WARM = 100_000;
const args = caseArgs();
const penstock = await load(args.dist);
const kind = process.env.PENSTOCK_IR_CASE ?? "core";
const side = process.env.PENSTOCK_IR_SIDE ?? "penstock";
const calls = Number(process.env.PENSTOCK_IR_CALLS ?? 100_000);
const add = (a, b) => a + b;
const als = new AsyncLocalStorage();
let sink = 0;

/** The case's call and the scope its calls run in (penstock's entrypoint, or the twin's outer context). */
async function setUp() {
  if (kind === "core") {
    const noop = { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined };
    penstock.configure({ backend: noop });
    const twin = (a, b) => als.run({ correlationId: als.getStore().correlationId, flow: "core", step: "add" }, add, a, b);
    // The floor of core-floor.bench.mjs: the contract's least per call.
    const EMPTY = Object.freeze({});
    const record = { calls: 0, edgeCount: 0, caller: "core", bit: 2 };
    const flowCall = { finished: 0 };
    const floor = (a, b) => {
      const parent = als.getStore();
      const frame = { correlationId: parent.correlationId, flow: "core", step: "add", spanId: spanId(), flowCall };
      const info = { flow: "core", step: "add", kind: "step", correlationId: frame.correlationId, attributes: EMPTY, spanId: frame.spanId, parentSpanId: parent.spanId };
      if (parent.step === record.caller) record.edgeCount++;
      return als.run(frame, () => {
        let ran = false;
        let value;
        const returned = noop.span(info, () => {
          ran = true;
          return (value = add(a, b));
        });
        record.calls++;
        flowCall.finished |= record.bit;
        return ran ? value : returned;
      });
    };
    const root = { correlationId: randomBytes(16).toString("hex"), flow: "core", step: "core", spanId: spanId() };
    // Every side in the same context, penstock's entrypoint's (as in core.bench.mjs): on Node 24
    // each context switch copies the context's map, whose size is the stores entered.
    const scope = (body) => als.run(root, () => penstock.entrypoint("core", body)());
    return { call: side === "penstock" ? penstock.step("add", add, { flow: "core", after: "core" }) : side === "floor" ? floor : twin, scope };
  }
  if (kind === "logging") {
    const pino = (await import("pino")).default;
    const logger = pino({ name: "bench" }, { write() {} });
    penstock.configure({ backend: penstock.loggingBackend({ logger }) });
    const twin = (a, b) => {
      const parent = als.getStore();
      const ctx = { correlationId: parent.correlationId, flow: "logging", step: "add", spanId: spanId() };
      return als.run(ctx, () => {
        logger.info({ flow: "logging", step: "add", kind: "step", correlation_id: ctx.correlationId, span_id: ctx.spanId, parent_span_id: parent.spanId }, "step.start");
        const started = performance.now();
        const value = add(a, b);
        const record = { flow: "logging", step: "add", kind: "step", correlation_id: ctx.correlationId, span_id: ctx.spanId, parent_span_id: parent.spanId };
        record.duration_ms = Math.round((performance.now() - started) * 100) / 100;
        record.outcome = "ok";
        logger.info(record, "step.end");
        return value;
      });
    };
    const root = { correlationId: randomBytes(16).toString("hex"), flow: "logging", step: "logging", spanId: spanId() };
    return side === "penstock"
      ? { call: penstock.step("add", add, { flow: "logging", after: "logging" }), scope: (body) => als.run(root, () => penstock.entrypoint("logging", body)()) }
      : { call: twin, scope: (body) => als.run(root, body) };
  }
  const require = createRequire(import.meta.url);
  const { context, trace } = require("@opentelemetry/api");
  const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
  const { BasicTracerProvider } = require("@opentelemetry/sdk-trace-base");
  const noopProcessor = { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [noopProcessor] }));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracer = trace.getTracer("bench");
  const { otelBackend } = await load(args.dist, "otel");
  penstock.configure({ backend: otelBackend({ tracer }) });
  const attributes = { "penstock.flow": "otel", "penstock.step": "add", "penstock.kind": "step" };
  const twin = (a, b) =>
    tracer.startActiveSpan("add", { attributes }, (span) => {
      const value = add(a, b);
      span.end();
      return value;
    });
  // Both under an outer span, penstock inside its entrypoint (as in otel.bench.mjs).
  const underOuter = (body) =>
    tracer.startActiveSpan("outer", (outer) => {
      body();
      outer.end();
    });
  return side === "penstock"
    ? { call: penstock.step("add", add, { flow: "otel", after: "otel" }), scope: (body) => underOuter(() => penstock.entrypoint("otel", body)()) }
    : { call: twin, scope: underOuter };
}

const { call, scope } = await setUp();
await scope(() => {
  for (let i = 0; i < WARM + calls; i++) sink += call(sink & 7, 1);
});
if (sink === -1) console.error("unreachable: keeps the calls from being optimised away");
