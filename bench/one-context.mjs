// Not a case of `npm run bench`: the experiment behind docs/performance.md's "OpenTelemetry: the
// goal not met". Would keeping penstock's frame inside OpenTelemetry's own Context (one
// AsyncLocalStorage instead of two) close the otel gap? This measures that design by hand,
// with penstock never loaded (so its AsyncLocalStorage is never used), against the twin:
// per call, the parent frame is read from the active Context, a frame and a SpanInfo are built
// with a span ID, and the span is started with `context.active().setValue(KEY, frame)` as its
// parent context, so one `context.with` per call, as the twin.
//
//   node bench/one-context.mjs      (prints the median ratio over 31 alternating rounds)
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
const twin = (...args) =>
  tracer.startActiveSpan("add", { attributes }, (span) => {
    try {
      return add(...args);
    } finally {
      span.end();
    }
  });

const FRAME = createContextKey("penstock.frame");
const oneContext = function (...args) {
  const active = context.active();
  const parent = active.getValue(FRAME);
  const frame = { correlationId: parent.correlationId, flow: "otel", step: "add", spanId: spanId(), home: parent.home ?? parent, values: undefined };
  const info = { flow: "otel", step: "add", kind: "step", correlationId: frame.correlationId, attributes, spanId: frame.spanId, parentSpanId: parent.spanId };
  return tracer.startActiveSpan(info.step, { attributes: info.attributes }, active.setValue(FRAME, frame), (span) => {
    try {
      return add.apply(this, args);
    } finally {
      span.end();
    }
  });
};

const tasks = {
  twin: () => {
    for (let i = 0; i < BATCH; i++) sink += twin(sink & 7, 1);
  },
  oneContext: () => {
    for (let i = 0; i < BATCH; i++) sink += oneContext(sink & 7, 1);
  },
};
const root = { correlationId: randomHex(16), spanId: spanId(), home: undefined, values: undefined };
let rounds;
await tracer.startActiveSpan("outer", async (outer) => {
  await context.with(context.active().setValue(FRAME, root), async () => {
    rounds = await alternatingRounds(tasks, { rounds: 31, batch: BATCH });
  });
  outer.end();
});
const ratio = median(rounds.oneContext.map((value, i) => value / rounds.twin[i]));
console.log(`twin ${median(rounds.twin).toFixed(0)} ns per call; one context / twin: ${ratio.toFixed(3)}×`);
if (sink === -1) console.log("unreachable: keeps the calls from being optimised away");
