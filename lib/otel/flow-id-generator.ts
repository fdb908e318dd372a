// An OpenTelemetry IdGenerator that names a flow's root span after the flow: the trace ID of
// the first span started with no parent in a flow call that has no trace yet is that flow's
// correlation ID. Every other ID is fresh: 128 random bits per trace ID, 64 per span ID.
import { config } from "../config/state";
import { isTraceId, newCorrelationId, newRandomSpanId } from "../context/ids";
import { currentFrame } from "../context/frame-store";
import type { Context } from "@opentelemetry/api";
import type { OtelApiModule } from "./otel-api";
import { resolveOtelApi } from "./otel-api";

/** The OpenTelemetry SDK's `IdGenerator` shape (`@opentelemetry/sdk-trace-base`). */
export interface FlowIdGenerator {
  generateTraceId(): string;
  generateSpanId(): string;
}

// The flow IDs a root span has taken, with that span's ID: a second root is a new trace, and
// penstock's own later spans in the flow join the first root. Keyed by ID (a flow call's
// frames do not all share one home); the oldest entries go first beyond the bound.
const named = new Map<string, string>();
const NAMED_BOUND = 10_000;

function noteRoot(id: string, spanId: string): void {
  if (named.size >= NAMED_BOUND) named.delete(named.keys().next().value!);
  named.set(id, spanId);
}

/** The registered provider (the global proxy's delegate), to tell when it is replaced. */
function registeredProvider(api: OtelApiModule | undefined): unknown {
  try {
    const provider = api?.trace.getTracerProvider() as { getDelegate?: () => unknown } | undefined;
    return typeof provider?.getDelegate === "function" ? provider.getDelegate() : provider;
  } catch {
    return undefined;
  }
}

/**
 * Whether a flowIdGenerator() names the roots of the provider registered now: one was made,
 * and the provider that last asked it for a trace ID is still the registered one (its effect
 * ends when that provider is replaced, as a shutdown SDK's is).
 */
export function flowIdGeneratorInUse(api: OtelApiModule): boolean {
  if (!config.flowIdGenerator) return false;
  const seen = config.flowIdGeneratorProvider;
  return seen === undefined || seen === registeredProvider(api);
}

/** True when the active OpenTelemetry context already has a span of trace `id`. */
function inTrace(api: OtelApiModule | undefined, id: string): boolean {
  try {
    return api?.trace.getSpanContext(api.context.active())?.traceId === id;
  } catch {
    return false;
  }
}

/**
 * For a span penstock starts with no parent in a flow call whose ID a first root span already
 * took: the context that makes it a child of that root, so the flow stays one trace with one
 * root. Undefined otherwise (the common case: a parent span is active).
 */
export function flowRootContext(api: OtelApiModule): Context | undefined {
  const frame = currentFrame();
  if (frame === undefined) return undefined;
  const rootSpanId = named.get(frame.correlationId);
  if (rootSpanId === undefined || !/^[0-9a-f]{16}$/.test(rootSpanId)) return undefined;
  const active = api.context.active();
  if (api.trace.getSpan(active) !== undefined) return undefined;
  return api.trace.setSpanContext(active, { traceId: frame.correlationId, spanId: rootSpanId, traceFlags: api.TraceFlags.SAMPLED });
}

/**
 * An `IdGenerator` for the OpenTelemetry SDK. Optional: without it penstock still gives a flow
 * one ID, but a flow opened before any span (`runInFlow`, a queue worker) then has its spans
 * continue a remote parent that is never exported. With it the first of those spans is a true
 * root with the flow's ID as its trace ID, and the SDK's root sampler decides as usual. Other
 * root spans (`{ root: true }`, or a second root in the same flow call) get fresh trace IDs,
 * so a trace has one root. Span IDs are 64 random bits each, from `crypto` (drawn in batches).
 *
 * @example
 * import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
 * import { flowIdGenerator } from "penstock/otel";
 * new NodeTracerProvider({ idGenerator: flowIdGenerator(), spanProcessors: [...] }).register();
 */
export function flowIdGenerator(): FlowIdGenerator {
  // Noted in the shared configuration: penstock then leaves a flow's root span to this generator.
  config.flowIdGenerator = true;
  config.flowIdGeneratorProvider = undefined;
  let api: OtelApiModule | undefined;
  let lastSpanId = "";
  return {
    generateTraceId(): string {
      api ??= resolveOtelApi();
      config.flowIdGeneratorProvider = registeredProvider(api);
      const frame = currentFrame();
      if (frame === undefined || !isTraceId(frame.correlationId)) return newCorrelationId();
      const id = frame.correlationId;
      if (named.has(id) || inTrace(api, id)) return newCorrelationId();
      // The SDK asks for a root's span ID before its trace ID: the last one given is this root's.
      noteRoot(id, lastSpanId);
      return id;
    },
    generateSpanId(): string {
      return (lastSpanId = newRandomSpanId());
    },
  };
}
