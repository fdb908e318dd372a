// Test support: a real OpenTelemetry SDK (in-memory exporter, AsyncLocalStorage context).
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";

export interface OtelSdk {
  readonly exporter: InMemorySpanExporter;
  readonly provider: BasicTracerProvider;
  shutdown(): Promise<void>;
}

/** Registers a real tracer provider and context manager globally, as an SDK start would. */
export function startOtelSdk(): OtelSdk {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  return {
    exporter,
    provider,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
