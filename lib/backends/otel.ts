// The OpenTelemetry backend: one real span per call, the trace ID as correlation ID.
import type { Attributes as OtelAttributes, Span, Tracer } from "@opentelemetry/api";
import { z } from "zod";
import { parseOrThrow } from "../validation";
import type { Backend, SpanInfo } from "../types";
import { loadOtelApi } from "./otel-api";
import { settle } from "./settle";

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
 * nest; errors are recorded and the span status set to ERROR.
 *
 * @example
 * import { otelBackend } from "penstock/otel";
 * configure(otelBackend({ tracerName: "checkout" }));
 */
export function otelBackend(options: OtelBackendOptions = {}): Backend {
  const parsed = parseOrThrow(optionsSchema, options ?? {}, "otelBackend() options");
  const api = loadOtelApi();
  const tracer: TracerLike = parsed.tracer ?? api.trace.getTracer(parsed.tracerName ?? "penstock");
  const { SpanStatusCode } = api;

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

  return {
    name: "otel",
    span(info, run) {
      return tracer.startActiveSpan(info.step, { attributes: spanAttributes(info) }, (span: Span) => {
        let result;
        try {
          result = run();
        } catch (error) {
          fail(span, error);
          span.end();
          throw error;
        }
        return settle(result, (outcome) => {
          if (!outcome.ok) fail(span, outcome.error);
          span.end();
        });
      });
    },
    getCorrelationId() {
      const context = api.trace.getActiveSpan()?.spanContext();
      return context !== undefined && api.isSpanContextValid(context) ? context.traceId : undefined;
    },
  };
}
