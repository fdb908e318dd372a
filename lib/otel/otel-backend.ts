// The OpenTelemetry backend: one real span per call, the trace ID as the flow's one ID.
import type { Attributes as OtelAttributes, Span } from "@opentelemetry/api";
import { z } from "zod";
import { reportFault } from "../config/faults";
import { parseOrThrow } from "../internal/parse-or-throw";
import type { Backend, SpanInfo } from "../types";
import { otelFlowScope } from "./flow-scope";
import { flowRootContext } from "./flow-id-generator";
import { config } from "../config/state";
import { inboundCorrelationId } from "../context/inbound-id";
import { hasRealTracerProvider, loadOtelApi, resolveOtelApi, type OtelApiModule } from "./otel-api";
import { globalOtelApi, otelGlobal } from "./global-api";
import { warnIfSentryWithoutOtel, warnOtelOnce } from "./otel-warnings";
import { isThenable } from "../internal/thenable";
import { NO_ERROR, settleInPlace } from "../backends/settle";
import { isExpectedError } from "../call/expected";
import { frames } from "../context/frame-store";
import { setCarrier } from "../context/frame-carrier";
import type { Frame } from "../context/frame";
import { activeContextOf, frameOf, otelFrameCarrier, withFrame } from "./otel-frames";

/**
 * The part of an OpenTelemetry `Tracer` penstock uses; any real Tracer fits. Typed without
 * `@opentelemetry/api` (an optional peer), so that penstock's types compile without it.
 */
export interface TracerLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  startActiveSpan(name: string, ...rest: any[]): any;
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
  // A given tracer needs no API on disk: the registration the SDK made is read directly.
  const api = resolveOtelApi() ?? (parsed.tracer === undefined ? loadOtelApi() : globalOtelApi());
  const tracer: TracerLike = parsed.tracer ?? api.trace.getTracer(parsed.tracerName ?? "penstock");
  // Spans of the API alone are no-ops: said once, at the first call, when no SDK is there.
  let checkedSdk = parsed.tracer !== undefined;
  const { SpanStatusCode, trace, isSpanContextValid } = api;
  const carrier = otelFrameCarrier(api);
  const activeContext = activeContextOf(api);
  let verifiedManager: unknown;
  let validContext: object | undefined;
  let validTraceId: string | undefined;
  const ownRun = <R>(frame: Parameters<typeof frames.own.run>[0], fn: () => R): R => frames.own.run(frame, fn);

  function fail(span: Span, info: SpanInfo, error: unknown): void {
    if (error instanceof Error) span.recordException(error);
    else span.recordException(String(error));
    // An expected error (a 400 from validation) is an exception event on a span that did not fail.
    if (isExpectedError(info, error)) {
      span.setAttribute("penstock.outcome", "expected");
      return;
    }
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
  // The span options ({ attributes }) are kept with them: the SDK reads them, never writes.
  const merged = new Map<string, { readonly source: object; readonly attributes: OtelAttributes; readonly options: { readonly attributes: OtelAttributes } }>();
  function spanOptions(info: SpanInfo): { readonly attributes: OtelAttributes } {
    const entry = merged.get(info.step);
    if (entry !== undefined && entry.source === info.attributes && entry.attributes["penstock.flow"] === info.flow && entry.attributes["penstock.kind"] === info.kind) {
      return entry.options;
    }
    const attributes = spanAttributes(info);
    const options = { attributes };
    if (entry === undefined) merged.set(info.step, { source: info.attributes, attributes, options });
    return options;
  }

  function traced(span: Span, info: SpanInfo, run: () => unknown, frame: Frame | undefined): unknown {
    if (info.kind === "entrypoint") {
      const inbound = inboundCorrelationId(frame);
      if (inbound !== undefined) span.setAttribute("penstock.inbound_correlation_id", inbound);
    }
    let result;
    try {
      result = run();
    } catch (error) {
      fail(span, info, error);
      span.end();
      throw error;
    }
    // A plain value ends the span here, without settle()'s callback (one closure per call).
    if (!isThenable(result)) {
      span.end();
      return result;
    }
    return settleInPlace(result, info, (error) => {
      if (error !== NO_ERROR) fail(span, info, error);
      span.end();
    });
  }

  const backend: Backend = {
    name: "otel",
    span(info, run) {
      if (!checkedSdk) {
        checkedSdk = true;
        warnIfNoSdk(api);
      }
      // The call's frame, entered with the span in one context switch (lib/otel/otel-frames.ts).
      const frame = frames.starting;
      const inFlowRoot = config.flowIdGenerator ? flowRootContext(api) : undefined;
      const body = (span: Span): unknown => {
        if (frame !== undefined) {
          frames.started();
          // Asked until the frame was found current once under the context manager registered now:
          // without one, or with a tracer that does not make the given context active (a test
          // double), the frame is entered here instead.
          const manager = otelGlobal()?.context;
          if (manager === undefined || manager !== verifiedManager) {
            if (frameOf(activeContext()) !== frame) return carrier.run(frame, () => traced(span, info, run, frame), ownRun);
            verifiedManager = manager;
          }
        }
        return traced(span, info, run, frame);
      };
      const options = spanOptions(info);
      const parent = frame === undefined ? inFlowRoot : withFrame(inFlowRoot ?? activeContext(), frame);
      return (parent === undefined ? tracer.startActiveSpan(info.step, options, body) : tracer.startActiveSpan(info.step, options, parent, body)) as ReturnType<typeof run>;
    },
    getCorrelationId() {
      const spanContext = trace.getActiveSpan()?.spanContext();
      if (spanContext === undefined) return undefined;
      // A span's context is one object for its life: checked once (each root call under it asks again).
      if (spanContext === validContext && spanContext.traceId === validTraceId) return validTraceId;
      if (!isSpanContextValid(spanContext)) return undefined;
      validContext = spanContext;
      validTraceId = spanContext.traceId;
      return validTraceId;
    },
    getSpanId() {
      const spanContext = trace.getActiveSpan()?.spanContext();
      return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext.spanId : undefined;
    },
    flowScope: otelFlowScope(api),
  };
  return setCarrier(backend, carrier);
}

function warnIfNoSdk(api: OtelApiModule): void {
  if (hasRealTracerProvider(api)) return;
  warnIfSentryWithoutOtel();
  warnOtelOnce(
    "no-sdk",
    'the OpenTelemetry backend is in use but no SDK has registered a tracer provider, so every span is a no-op and nothing is recorded. ' +
      "Start an SDK before the first traced call (new NodeSDK(...).start(), or a NodeTracerProvider's register()), " +
      'pass configure({ backend: "otel", tracer }), or use configure("logging") / configure({ backend: ["otel", "logging"] }).',
  );
}
