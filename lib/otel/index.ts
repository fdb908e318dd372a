// penstock/otel: the OpenTelemetry backend and the IdGenerator that gives a flow one ID.
// Importing it never needs @opentelemetry/api; creating the backend does (OTEL_UNAVAILABLE).
export { otelBackend } from "../backends/otel";
export type { OtelBackendOptions, TracerLike } from "../backends/otel";
export { flowIdGenerator } from "../backends/flow-id-generator";
export type { FlowIdGenerator } from "../backends/flow-id-generator";
