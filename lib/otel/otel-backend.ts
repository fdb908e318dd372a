// The OpenTelemetry backend: one real span per call, the trace ID as the flow's one ID.
import type { Attributes as OtelAttributes, Context, Span, SpanContext, Tracer } from "@opentelemetry/api";
import { z } from "zod";
import { shared } from "../internal/global";
import { reportFault } from "../config/faults";
import { isTraceId, newSpanId } from "../context/ids";
import { currentFrame } from "../context/current-frame";
import { formatTraceparent } from "../propagation/trace-context";
import { parseOrThrow } from "../internal/parse-or-throw";
import type { Backend, SpanInfo } from "../types";
import { FLOW_SCOPE, type CarrierSetter, type FlowScope, type RemoteParent } from "../propagation/flow-scope";
import { loadOtelApi, type OtelApiModule } from "./otel-api";
import { isThenable, NO_ERROR, settleInPlace } from "../backends/settle";

const config = shared.config;

/** The part of an OpenTelemetry `Tracer` penstock uses; any real Tracer fits. */
export interface TracerLike {
  startActiveSpan: Tracer["startActiveSpan"];
}

/** Options of {@link otelBackend}. */
export interface OtelBackendOptions {
  /** The tracer to start spans with. Default: `trace.getTracer(tracerName)` of the global provider. */
  readonly tracer?: TracerLike;
  /** Name of the default tracer. Default `"penstock"`. */
  readonly tracerName?: string;
}

export const tracerSchema = z.custom<TracerLike>(
  (value) => value !== null && typeof value === "object" && typeof (value as { startActiveSpan?: unknown }).startActiveSpan === "function",
  { message: "must be an OpenTelemetry Tracer (an object with startActiveSpan())" },
);

const optionsSchema = z.strictObject({
  tracer: tracerSchema.optional(),
  tracerName: z.string().min(1).optional(),
});

/**
 * A backend that records one OpenTelemetry span per call, named after the step, with
 * `penstock.flow`, `penstock.step`, `penstock.kind` and your attributes. Nested steps
 * nest; errors are recorded and the span status set to ERROR. The flow's correlation ID is
 * the trace ID, before, during and after its spans (docs/backends.md, "One ID").
 *
 * @example
 * import { otelBackend } from "penstock/otel";
 * configure(otelBackend({ tracerName: "checkout" }));
 */
export function otelBackend(options: OtelBackendOptions = {}): Backend {
  const parsed = parseOrThrow(optionsSchema, options ?? {}, "otelBackend() options");
  const api = loadOtelApi();
  const tracer: TracerLike = parsed.tracer ?? api.trace.getTracer(parsed.tracerName ?? "penstock");
  const { SpanStatusCode, trace, isSpanContextValid } = api;

  function fail(span: Span, error: unknown): void {
    if (error instanceof Error) span.recordException(error);
    else span.recordException(String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }

  function spanAttributes(info: SpanInfo): OtelAttributes {
    return {
      ...(info.attributes as OtelAttributes),
      "penstock.flow": info.flow,
      "penstock.step": info.step,
      "penstock.kind": info.kind,
    };
  }

  // A step's static attributes are one object, the same on every call: their merge with
  // penstock's is made once and reused (saves a spread and a new object per call). The cache
  // is keyed by step name and remembers which attributes object it merged: computed
  // attributes are a new object per call, so they miss and are merged per call, without
  // being stored (the first call's entry stays). Step names come from registrations, so the
  // cache is bounded. The SDK copies the attributes it is given (sanitizeAttributes), never
  // writing to them, so one object can serve every span.
  const merged = new Map<string, { readonly source: object; readonly attributes: OtelAttributes }>();
  function cachedAttributes(info: SpanInfo): OtelAttributes {
    const entry = merged.get(info.step);
    if (entry !== undefined && entry.source === info.attributes && entry.attributes["penstock.flow"] === info.flow && entry.attributes["penstock.kind"] === info.kind) {
      return entry.attributes;
    }
    const attributes = spanAttributes(info);
    if (entry === undefined) merged.set(info.step, { source: info.attributes, attributes });
    return attributes;
  }

  // A root entrypoint's ID is provisional until its span exists: the trace ID replaces it
  // before the function runs, so nothing ever sees two IDs for one flow.
  function adoptTraceId(span: Span): void {
    const frame = currentFrame();
    if (frame === undefined || !frame.provisional) return;
    frame.provisional = false;
    const spanContext = span.spanContext();
    if (isSpanContextValid(spanContext)) frame.correlationId = spanContext.traceId;
  }

  return {
    name: "otel",
    span(info, run) {
      return tracer.startActiveSpan(info.step, { attributes: cachedAttributes(info) }, (span: Span) => {
        // Only a root entrypoint's frame can be provisional: a step skips the frame lookup.
        if (info.kind === "entrypoint") adoptTraceId(span);
        let result;
        try {
          result = run();
        } catch (error) {
          fail(span, error);
          span.end();
          throw error;
        }
        // A plain value ends the span here, without settle()'s callback (one closure per call).
        if (!isThenable(result)) {
          span.end();
          return result;
        }
        return settleInPlace(result, info, (error) => {
          if (error !== NO_ERROR) fail(span, error);
          span.end();
        });
      });
    },
    getCorrelationId() {
      const spanContext = trace.getActiveSpan()?.spanContext();
      return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
    },
    [FLOW_SCOPE]: otelFlowScope(api),
  } as Backend;
}

/** How a flow context opened outside any span makes the spans inside carry its ID. */
function otelFlowScope(api: OtelApiModule): FlowScope {
  const { context, trace, propagation, isSpanContextValid, TraceFlags } = api;

  function flowContext(id: string, remote: RemoteParent | undefined): Context {
    const active = context.active();
    if (remote !== undefined) {
      return trace.setSpanContext(active, {
        traceId: remote.traceId,
        spanId: remote.spanId,
        traceFlags: remote.flags,
        isRemote: true,
        traceState: remote.tracestate === undefined ? undefined : api.createTraceState(remote.tracestate),
      });
    }
    // With flowIdGenerator() in the SDK, a root span takes the flow's ID as its trace ID.
    if (config.flowIdGenerator) return trace.deleteSpan(active);
    // Otherwise the spans inside continue a remote parent that names the flow's ID as trace.
    return trace.setSpanContext(active, { traceId: id, spanId: newSpanId(), traceFlags: TraceFlags.SAMPLED, isRemote: true });
  }

  return {
    acceptId(id) {
      const lower = id.toLowerCase();
      return isTraceId(lower) ? lower : undefined;
    },
    enter(id, remote, run) {
      if (!isTraceId(id)) return run();
      let scoped: Context;
      try {
        scoped = flowContext(id, remote);
      } catch (error) {
        reportFault("trace-context", error);
        return run();
      }
      return context.with(scoped, run);
    },
    inject(carrier, setter) {
      const active = context.active();
      const spanContext = trace.getSpanContext(active);
      if (spanContext === undefined || !isSpanContextValid(spanContext)) return false;
      let wroteTraceparent = false;
      propagation.inject(active, carrier, {
        set(target, key, value) {
          if (key.toLowerCase() === "traceparent") wroteTraceparent = true;
          setter.set(target, key, value);
        },
      });
      // No W3C propagator registered (the API's default is a no-op): write the headers ourselves.
      if (!wroteTraceparent) writeW3c(spanContext, carrier, setter);
      return true;
    },
    extract(carrier, getter) {
      const spanContext = trace.getSpanContext(propagation.extract(api.ROOT_CONTEXT, carrier, getter));
      if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
      const tracestate = spanContext.traceState?.serialize();
      return { traceId: spanContext.traceId, spanId: spanContext.spanId, flags: spanContext.traceFlags, tracestate: tracestate || undefined };
    },
  };
}

function writeW3c(spanContext: SpanContext, carrier: unknown, setter: CarrierSetter): void {
  setter.set(carrier, "traceparent", formatTraceparent({ traceId: spanContext.traceId, spanId: spanContext.spanId, flags: spanContext.traceFlags }));
  const tracestate = spanContext.traceState?.serialize();
  if (tracestate) setter.set(carrier, "tracestate", tracestate);
}

