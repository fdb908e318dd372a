// Case "otel": a step traced by the OpenTelemetry backend against its hand-written twin,
// tracer.startActiveSpan with the same name and attributes (penstock.flow, penstock.step,
// penstock.kind), the span ended when the result settles, exceptions recorded. Both use the
// same SDK: a BasicTracerProvider whose one span processor does nothing, and the
// AsyncLocalStorage context manager, so what is measured is span creation plus each side's own
// work, not an exporter.
//
//   node bench/otel.bench.mjs [--dist dist] [--rounds 31] [--quick]
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { alternatingRounds, caseArgs, costRow, emit, load } from "./support.mjs";

const args = caseArgs();
const noopProcessor = { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };
const provider = new BasicTracerProvider({ spanProcessors: [noopProcessor] });
trace.setGlobalTracerProvider(provider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracer = trace.getTracer("bench");

const penstock = await load(args.dist);
const { otelBackend } = await load(args.dist, "otel");
penstock.configure({ backend: otelBackend({ tracer }) });

const BATCH = 200;
const add = (a, b) => a + b;
const addAsync = async (a, b) => a + b;
let sink = 0;

function fail(span, error) {
  if (error instanceof Error) span.recordException(error);
  else span.recordException(String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

// The twin, as the OpenTelemetry documentation writes it, with penstock's attributes.
function twin(step, fn) {
  const attributes = { "penstock.flow": "otel", "penstock.step": step, "penstock.kind": "step" };
  return function (...callArgs) {
    return tracer.startActiveSpan(step, { attributes }, (span) => {
      let result;
      try {
        result = fn(...callArgs);
      } catch (error) {
        fail(span, error);
        span.end();
        throw error;
      }
      if (result === null || typeof result !== "object" || typeof result.then !== "function") {
        span.end();
        return result;
      }
      return result.then(
        (value) => {
          span.end();
          return value;
        },
        (error) => {
          fail(span, error);
          span.end();
          throw error;
        },
      );
    });
  };
}

const stepSync = penstock.step("add", add, { flow: "otel", after: "otel" });
const stepAsync = penstock.step("add_async", addAsync, { flow: "otel", after: "otel" });
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

// The nested case: an entrypoint calling a step, against two nested startActiveSpan calls.
const entryStep = penstock.step("inner", add, { flow: "otel_nested", after: "outer_entry" });
const entry = penstock.entrypoint("outer_entry", (a, b) => entryStep(a, b), { flow: "otel_nested" });
const twinInner = twin("inner", add);
const twinEntry = twin("outer_entry", (a, b) => twinInner(a, b));
const nested = {
  penstock: () => {
    for (let i = 0; i < BATCH; i++) sink += entry(sink & 7, 1);
  },
  twin: () => {
    for (let i = 0; i < BATCH; i++) sink += twinEntry(sink & 7, 1);
  },
};

// Both inside a flow's span: penstock inside its entrypoint (whose span is the parent), the
// twin inside an outer span of its own. Each side runs in its own context: the twin's is the
// API's own Context with its outer span, penstock's the one its entrypoint made (so that
// neither side's startActiveSpan copies the other's kind of Context).
const inContext = (ctx, tasks) => Object.fromEntries(Object.entries(tasks).map(([name, fn]) => [name, () => context.with(ctx[name], fn)]));
let syncRounds;
let asyncRounds;
let nestedRounds;
await tracer.startActiveSpan("outer", async (outer) => {
  const twinContext = context.active();
  let penstockContext;
  await penstock.entrypoint("otel", async () => {
    penstockContext = context.active();
    const contexts = { penstock: penstockContext, twin: twinContext };
    syncRounds = await alternatingRounds(inContext(contexts, sync), { rounds: args.rounds, batch: BATCH });
    asyncRounds = await alternatingRounds(inContext(contexts, asyncTasks), { rounds: args.rounds, batch: BATCH });
  })();
  // The nested case starts outside any flow, under the same outer span for both sides.
  nestedRounds = await alternatingRounds(inContext({ penstock: twinContext, twin: twinContext }, nested), { rounds: args.rounds, batch: BATCH });
  outer.end();
});

emit({
  title: "otel",
  description: `A step traced by the OpenTelemetry backend (sdk-trace-base BasicTracerProvider, a no-op span processor, the AsyncLocalStorage context manager), called from its entrypoint, against \`tracer.startActiveSpan\` with the same attributes, each side in its own context (the twin's an outer span's); and an entrypoint calling a step, against two nested \`startActiveSpan\` calls, both under the same outer span. Per call; each sample a batch of ${BATCH} calls; ${args.rounds} alternating rounds.`,
  rows: [
    costRow("otel: sync step", syncRounds.penstock, syncRounds.twin, 1.05),
    costRow("otel: async step", asyncRounds.penstock, asyncRounds.twin, 1.05),
    costRow("otel: entrypoint calling a step vs two nested startActiveSpan", nestedRounds.penstock, nestedRounds.twin, 1.05),
  ],
});
if (sink === -1) console.error("unreachable");
