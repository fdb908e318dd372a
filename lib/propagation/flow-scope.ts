// The seam between the flow context and a tracing backend with a context of its own
// (OpenTelemetry): internal, reached through a registered symbol so the ESM and the CommonJS
// copy of penstock find each other's backends.
import type { TraceParent } from "./trace-context";

/** Key of a backend's {@link FlowScope}. Custom backends need none. */
export const FLOW_SCOPE: unique symbol = Symbol.for("penstock.flowScope") as never;

/** A continued trace: an inbound `traceparent`, with its `tracestate` when valid. */
export interface RemoteParent extends TraceParent {
  readonly tracestate: string | undefined;
}

/** Reads and writes a string map (the OpenTelemetry TextMapGetter/TextMapSetter shape). */
export interface CarrierGetter {
  keys(carrier: unknown): string[];
  get(carrier: unknown, key: string): string | undefined;
}
export interface CarrierSetter {
  set(carrier: unknown, key: string, value: string): void;
}

export interface FlowScope {
  /** The form of an inbound correlation ID this backend can carry, or undefined if it cannot. */
  acceptId(id: string): string | undefined;
  /** Runs `run` so that the spans started inside carry `id` (continuing `remote` when given). */
  enter<T>(id: string, remote: RemoteParent | undefined, run: () => T): T;
  /** Writes the active trace context into the carrier; false when there is none. */
  inject(carrier: unknown, setter: CarrierSetter): boolean;
  /** The trace context in the carrier, through the backend's propagators; undefined if none. */
  extract(carrier: unknown, getter: CarrierGetter): RemoteParent | undefined;
}

/** The backend's flow scope, if it has one. */
export function flowScopeOf(backend: object): FlowScope | undefined {
  return (backend as { [FLOW_SCOPE]?: FlowScope })[FLOW_SCOPE];
}
