// Test support: a real OpenTelemetry SDK (in-memory exporter, AsyncLocalStorage context).
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type IdGenerator, type ReadableSpan, type Sampler } from "@opentelemetry/sdk-trace-base";

export interface OtelSdk {
  readonly exporter: InMemorySpanExporter;
  readonly provider: BasicTracerProvider;
  /** Finished spans, in the order they ended. */
  spans(): ReadableSpan[];
  /** The finished span of that name; throws when there is not exactly one. */
  span(name: string): ReadableSpan;
  shutdown(): Promise<void>;
}

export interface OtelSdkOptions {
  readonly idGenerator?: IdGenerator;
  readonly sampler?: Sampler;
  /** Register the W3C trace-context propagator globally, as NodeSDK does. Default false (the API's no-op). */
  readonly w3cPropagator?: boolean;
}

/** Registers a real tracer provider and context manager globally, as an SDK start would. */
export function startOtelSdk(options: OtelSdkOptions = {}): OtelSdk {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    ...(options.idGenerator === undefined ? {} : { idGenerator: options.idGenerator }),
    ...(options.sampler === undefined ? {} : { sampler: options.sampler }),
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  if (options.w3cPropagator) propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return {
    exporter,
    provider,
    spans: () => exporter.getFinishedSpans(),
    span(name) {
      const found = exporter.getFinishedSpans().filter((span) => span.name === name);
      if (found.length !== 1) throw new Error(`expected one finished span "${name}", found ${found.length}`);
      return found[0]!;
    },
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
