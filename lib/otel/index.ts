// penstock/otel: the OpenTelemetry backend and the IdGenerator that gives a flow one ID.
// Importing it never needs @opentelemetry/api; creating the backend does (OTEL_UNAVAILABLE).
export { otelBackend } from "./otel-backend";
export type { OtelBackendOptions, TracerLike } from "./otel-backend";
export { flowIdGenerator } from "./flow-id-generator";
export type { FlowIdGenerator } from "./flow-id-generator";
