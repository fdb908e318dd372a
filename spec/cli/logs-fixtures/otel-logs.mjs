// The orders flow under configure({ backend: ["otel", "logging"] }) with a real SDK: the log
// lines carry the trace ID as correlation_id and the spans' IDs. node otel-logs.mjs <out>
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import pino from "pino";
import { configure } from "penstock";
import { placeOrder } from "./orders.mjs";

const exporter = new InMemorySpanExporter();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
configure({ backend: ["otel", "logging"], logger: pino(pino.destination({ dest: process.argv[2], sync: true })) });
await placeOrder({ id: "O-1", customer: "c", items: [{ sku: "tea", quantity: 1 }], total: 3 });
const spans = exporter.getFinishedSpans();
process.stdout.write(JSON.stringify({ traceIds: [...new Set(spans.map((span) => span.spanContext().traceId))], spans: spans.length }));
