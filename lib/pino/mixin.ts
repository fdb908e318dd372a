// flowMixin: the flow's correlation ID and name on every pino line written inside a flow.
import { correlationIdOf } from "../context/flow-context";
import { currentFrame } from "../context/frame-store";
import { inboundCorrelationId } from "../context/inbound-id";

/** The fields {@link flowMixin} adds: both inside a flow (`flow` once an entrypoint runs), none outside. */
export interface FlowLogFields {
  readonly correlation_id?: string;
  readonly flow?: string;
  /** A caller's X-Correlation-ID that the flow's trace ID replaced (with OpenTelemetry). */
  readonly inbound_correlation_id?: string;
}

/**
 * A pino `mixin`: adds `correlation_id` (with OpenTelemetry, the trace ID) and `flow` to every
 * line logged inside a flow context, nothing outside one. It runs on every log line, so it
 * reads the context once and allocates one small object; it never throws. The object is new
 * on every call, outside a flow too: pino's default merge strategy writes the line's own fields
 * into it (`Object.assign(mixinResult, mergeObject)`), so a shared one would be frozen (and
 * throw) or leak fields from one line into the next.
 *
 * @example
 * import pino from "pino";
 * import { flowMixin } from "penstock/pino";
 * const logger = pino({ mixin: flowMixin });
 */
export function flowMixin(): FlowLogFields {
  try {
    const frame = currentFrame();
    if (frame === undefined) return {};
    const correlation_id = correlationIdOf(frame);
    const fields: { correlation_id: string; flow?: string; inbound_correlation_id?: string } = frame.flow === undefined ? { correlation_id } : { correlation_id, flow: frame.flow };
    const inbound = inboundCorrelationId();
    if (inbound !== undefined) fields.inbound_correlation_id = inbound;
    return fields;
  } catch {
    // A log line must never fail because of penstock.
    return {};
  }
}
