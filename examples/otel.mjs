// The orders flow traced by OpenTelemetry, across a (simulated) queue to a worker: every span
// of the request and of the job is one trace, and currentFlowId() is that trace's ID throughout.
// Run it with `npm run build && node examples/otel.mjs`. It needs the SDK packages:
//   npm install @opentelemetry/api @opentelemetry/sdk-trace-node
import { ConsoleSpanExporter, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { currentFlowId, entrypoint, extractFlow, getBackend, injectFlow, runInFlow, step } from "penstock";
import { flowIdGenerator } from "penstock/otel";
import { placeOrder } from "./orders.mjs";

// The SDK: spans printed by the console exporter as they end, and kept to draw a tree below.
// flowIdGenerator() (optional) lets a flow opened before any span start true root spans.
const kept = new InMemorySpanExporter();
const provider = new NodeTracerProvider({
  idGenerator: flowIdGenerator(),
  spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter()), new SimpleSpanProcessor(kept)],
});
// Registers the provider, an AsyncLocalStorage context manager and the W3C propagator.
provider.register();

const ids = [];
const note = (where) => ids.push({ where, currentFlowId: currentFlowId() });

// The producer: an HTTP handler places the order, then queues the shipping job with the flow
// in its data. The worker continues the flow from the job.
const jobs = [];
export const checkout = entrypoint("checkout", async (order) => {
  note("  checkout (entrypoint span)");
  const receipt = await placeOrder(order);
  await enqueueShipping(order);
  return receipt;
});
export const enqueueShipping = step("enqueue_shipping", async (order) => {
  jobs.push({ name: "ship", data: injectFlow({ orderId: order.id }) });
}, { after: checkout });

// `after: enqueueShipping`, a step of the other flow: the queue hop, drawn between the two
// flows in `penstock dag examples/otel.mjs` (a cross-flow edge).
export const shipOrder = entrypoint("ship_order", async (job) => {
  note("  ship_order (entrypoint span)");
  return packParcel(job.data.orderId);
}, { flow: "shipping", after: enqueueShipping });
export const packParcel = step("pack_parcel", async (orderId) => `parcel for ${orderId}`, { after: shipOrder });

// Two requests: one from an upstream service that sent a W3C traceparent (its trace goes on),
// one with no trace context (a new trace, named by the flow's ID). The HTTP layer opens each
// flow before any penstock span exists; then a worker (another process, in a real deployment)
// takes the request's job and continues the flow from the job's data.
const requests = [
  { label: "upstream traceparent", headers: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" } },
  { label: "no trace context", headers: { "content-type": "application/json" } },
];
const results = [];
for (const [index, { label, headers }] of requests.entries()) {
  const order = { id: `A-100${index + 1}`, customer: "cust-42", items: [{ sku: "tea", quantity: 2 }], total: 12 };
  const receipt = await runInFlow(extractFlow(headers), async () => {
    note(`request ${index + 1} (${label}), before any span`);
    return checkout(order);
  });
  const job = jobs.shift();
  if (index === 0) {
    console.log("\n## A job's data, as the queue stores it\n");
    console.log(JSON.stringify(job.data, null, 2));
  }
  const shipped = await runInFlow(extractFlow(job.data), () => {
    note(`worker for request ${index + 1}, before any span`);
    return shipOrder(job);
  });
  results.push(`${receipt}; ${shipped}`);
}
await provider.forceFlush();

console.log(`\n## Backend: ${getBackend().name}\n\n${results.join("\n")}\n`);
console.log("## currentFlowId() where the code ran\n");
for (const { where, currentFlowId: id } of ids) console.log(`${id}  ${where}`);

console.log("\n## The span tree\n");
printTree(kept.getFinishedSpans());
await provider.shutdown();

/** One line per span, children under their parent, with trace ID, span ID and duration. */
function printTree(spans) {
  const byParent = new Map();
  const known = new Set(spans.map((span) => span.spanContext().spanId));
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    const key = parent !== undefined && known.has(parent) ? parent : "root";
    byParent.set(key, [...(byParent.get(key) ?? []), span]);
  }
  const ms = (span) => (span.duration[0] * 1e3 + span.duration[1] / 1e6).toFixed(2);
  const visit = (span, prefix, last) => {
    const { traceId, spanId } = span.spanContext();
    const remote = span.parentSpanContext !== undefined && !known.has(span.parentSpanContext.spanId) ? ` (parent ${span.parentSpanContext.spanId}, remote)` : "";
    console.log(`${prefix}${last ? "└─" : "├─"} ${span.name} [${span.attributes["penstock.kind"]}] trace=${traceId} span=${spanId} ${ms(span)} ms${remote}`);
    const children = (byParent.get(spanId) ?? []).sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
    children.forEach((child, index) => visit(child, `${prefix}${last ? "   " : "│  "}`, index === children.length - 1));
  };
  const roots = byParent.get("root") ?? [];
  roots.forEach((root, index) => visit(root, "", index === roots.length - 1));
}
