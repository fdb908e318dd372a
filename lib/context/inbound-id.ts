// An inbound correlation ID (X-Correlation-ID) that the flow did not adopt, because a server
// span's trace ID, an inbound traceparent or a backend that only carries trace IDs replaced it,
// kept with the flow so a caller's own ID can still be found: as the flow value below, the log
// field `inbound_correlation_id` and the span attribute `penstock.inbound_correlation_id`.
import { currentFrame } from "./frame-store";
import { valuesHome, type Frame } from "./frame";

/** The flow value under which the replaced inbound ID is kept (visible in getFlowContext().values). */
export const INBOUND_CORRELATION_ID = "penstock.inbound_correlation_id";

/** The replaced inbound ID of the current flow call (or of `known`'s), if there is one. Never throws. */
export function inboundCorrelationId(known?: Frame): string | undefined {
  try {
    const frame = known ?? currentFrame();
    if (frame === undefined) return undefined;
    const value = valuesHome(frame).values?.get(INBOUND_CORRELATION_ID);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}
