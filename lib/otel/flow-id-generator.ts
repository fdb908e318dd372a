// An OpenTelemetry IdGenerator that names a flow's root spans after the flow: the trace ID of
// a span started with no parent inside a penstock flow is that flow's correlation ID.
import { config } from "../config/state";
import { isTraceId, newCorrelationId, newSpanId } from "../context/ids";
import { currentFrame } from "../context/frame-store";

/** The OpenTelemetry SDK's `IdGenerator` shape (`@opentelemetry/sdk-trace-base`). */
export interface FlowIdGenerator {
  generateTraceId(): string;
  generateSpanId(): string;
}

/**
 * An `IdGenerator` for the OpenTelemetry SDK. Optional: without it penstock still gives a flow
 * one ID, but a flow opened before any span (`runInFlow`, a queue worker) then has its spans
 * continue a remote parent that is never exported. With it those spans are true roots, and
 * the SDK's root sampler decides as usual. Random IDs otherwise, like the SDK's default.
 *
 * @example
 * import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
 * import { flowIdGenerator } from "penstock/otel";
 * new NodeTracerProvider({ idGenerator: flowIdGenerator(), spanProcessors: [...] }).register();
 */
export function flowIdGenerator(): FlowIdGenerator {
  // Noted in the shared configuration: penstock then leaves root spans to this generator.
  config.flowIdGenerator = true;
  return {
    generateTraceId(): string {
      const frame = currentFrame();
      return frame !== undefined && isTraceId(frame.correlationId) ? frame.correlationId : newCorrelationId();
    },
    generateSpanId: newSpanId,
  };
}
