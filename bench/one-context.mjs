// Not a case of `npm run bench`: the experiment behind docs/performance.md's "One context under
// OpenTelemetry". Keeping penstock's frame inside OpenTelemetry's own Context (one context
// instead of two), measured by hand with penstock never loaded, against the twin
// (startActiveSpan): per call, the parent frame is read from the active Context, a frame and a
// SpanInfo are built with a span ID, and the span is started with a Context that carries the
// frame as its parent, so one `context.with` per call, as the twin. Two ways to make that Context:
//
// - mapCopy: `context.active().setValue(KEY, frame)`, the API's BaseContext (a Map copy and
//   three closures per setValue; startActiveSpan then copies it again to set the span);
// - linked: penstock's own Context (lib/otel/otel-frames.ts): the context beneath plus the frame
//   and the span, three fields, no Map copy.
//
//   node bench/one-context.mjs      (prints the median ratio to the twin over 15 alternating rounds)
import { context, createContextKey, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { alternatingRounds, median, randomHex, spanId } from "./support.mjs";

const noopProcessor = { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [noopProcessor] }));
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracer = trace.getTracer("bench");
const BATCH = 200;
const add = (a, b) => a + b;
let sink = 0;
const attributes = { "penstock.flow": "otel", "penstock.step": "add", "penstock.kind": "step" };
const twin = (...args) => tracer.startActiveSpan("add", { attributes }, (span) => { try { return add(...args); } finally { span.end(); } });
const FRAME = createContextKey("penstock.frame");
const SPAN = Symbol.for("OpenTelemetry Context Key SPAN");
class FrameContext {
  constructor(base, frame, hasSpan, span) { this.base = base; this.frame = frame; this.hasSpan = hasSpan; this.span = span; }
  getValue(key) { return key === SPAN ? (this.hasSpan ? this.span : this.base.getValue(key)) : key === FRAME ? this.frame : this.base.getValue(key); }
  setValue(key, value) {
    if (key === SPAN) return new FrameContext(this.base, this.frame, true, value);
    if (key === FRAME) return new FrameContext(this.base, value, this.hasSpan, this.span);
    return new FrameContext(this.base.setValue(key, value), this.frame, this.hasSpan, this.span);
  }
  deleteValue(key) {
    if (key === SPAN) return new FrameContext(this.base.deleteValue(key), this.frame, false, undefined);
    if (key === FRAME) return this.hasSpan ? this.base.setValue(SPAN, this.span) : this.base;
    return new FrameContext(this.base.deleteValue(key), this.frame, this.hasSpan, this.span);
  }
}
const make = (mode) => function (...args) {
  const active = context.active();
  const parent = active.getValue(FRAME);
  const frame = { correlationId: parent.correlationId, flow: "otel", step: "add", spanId: spanId(), home: parent.home ?? parent, values: undefined };
  const info = { flow: "otel", step: "add", kind: "step", correlationId: frame.correlationId, attributes, spanId: frame.spanId, parentSpanId: parent.spanId };
  const ctx = mode === "map" ? active.setValue(FRAME, frame) : active instanceof FrameContext ? new FrameContext(active.base, frame, active.hasSpan, active.span) : new FrameContext(active, frame, false, undefined);
  return tracer.startActiveSpan(info.step, { attributes: info.attributes }, ctx, (span) => {
    try { return add.apply(this, args); } finally { span.end(); }
  });
};
const mapCopy = make("map"), linked = make("linked");
const tasks = {
  twin: () => { for (let i = 0; i < BATCH; i++) sink += twin(sink & 7, 1); },
  mapCopy: () => { for (let i = 0; i < BATCH; i++) sink += mapCopy(sink & 7, 1); },
  linked: () => { for (let i = 0; i < BATCH; i++) sink += linked(sink & 7, 1); },
};
const root = { correlationId: randomHex(16), spanId: spanId(), home: undefined, values: undefined };
let rounds;
await tracer.startActiveSpan("outer", async (outer) => {
  await context.with(new FrameContext(context.active(), root, false, undefined), async () => {
    rounds = await alternatingRounds(tasks, { rounds: 15, batch: BATCH });
  });
  outer.end();
});
for (const k of ["mapCopy", "linked"]) console.log(process.version, k, (median(rounds[k].map((v, i) => v / rounds.twin[i]))).toFixed(3), median(rounds[k]).toFixed(0), "twin", median(rounds.twin).toFixed(0));
if (sink === -1) console.log("x");
