// The OpenTelemetry backend's flow scope: how a flow opened outside any span (runInFlow, a
// queue worker) makes the spans inside carry its ID, and how injectFlow / extractFlow use
// OpenTelemetry's propagators.
import type { Context, SpanContext } from "@opentelemetry/api";
import { reportFault } from "../config/faults";
import { flowIdGeneratorInUse } from "./flow-id-generator";
import { isTraceId, newSpanId } from "../context/ids";
import { formatTraceparent } from "../propagation/trace-context";
import type { CarrierGetter, CarrierSetter, FlowScope, RemoteParent } from "../types";
import type { OtelApiModule } from "./otel-api";

// The tokens OpenTelemetry scopes made: any of them (two otelBackend() calls) continues any other's.
const tokens = new WeakSet<object>();

/** How a flow context opened outside any span makes the spans inside carry its ID. */
export function otelFlowScope(api: OtelApiModule): FlowScope {
  const { context, trace, propagation, isSpanContextValid, TraceFlags } = api;

  function flowContext(id: string, remote: RemoteParent | undefined): Context {
    const active = context.active();
    const continued = remote === undefined ? undefined : extractedContext(active, remote);
    if (continued !== undefined) return continued;
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
    if (flowIdGeneratorInUse(api)) return trace.deleteSpan(active);
    // Otherwise the spans inside continue a remote parent that names the flow's ID as trace.
    return trace.setSpanContext(active, { traceId: id, spanId: newSpanId(), traceFlags: TraceFlags.SAMPLED, isRemote: true });
  }

  /**
   * The propagators' own reading of the inbound carrier, onto the active context: every
   * tracestate entry and the baggage as they extracted them (Sentry's sentry.dsc among them).
   * Only when it is still the trace penstock validated.
   */
  function extractedContext(active: Context, remote: RemoteParent): Context | undefined {
    const token = remote.extracted as Extracted | undefined;
    if (token === undefined || token === null || typeof token !== "object" || !tokens.has(token)) return undefined;
    const extracted = propagation.extract(active, token.carrier, token.getter);
    const spanContext = trace.getSpanContext(extracted);
    return spanContext !== undefined && spanContext.traceId === remote.traceId && spanContext.spanId === remote.spanId ? extracted : undefined;
  }

  const scope: FlowScope = {
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
      const extracted: Extracted = { carrier, getter };
      tokens.add(extracted);
      return { traceId: spanContext.traceId, spanId: spanContext.spanId, flags: spanContext.traceFlags, tracestate: tracestate || undefined, extracted };
    },
  };
  return scope;
}

/** What this scope's extract read: the carrier and its getter, to extract again where the flow is entered. */
interface Extracted {
  readonly carrier: unknown;
  readonly getter: CarrierGetter;
}

function writeW3c(spanContext: SpanContext, carrier: unknown, setter: CarrierSetter): void {
  setter.set(carrier, "traceparent", formatTraceparent({ traceId: spanContext.traceId, spanId: spanContext.spanId, flags: spanContext.traceFlags }));
  const tracestate = spanContext.traceState?.serialize();
  if (tracestate) setter.set(carrier, "tracestate", tracestate);
}

