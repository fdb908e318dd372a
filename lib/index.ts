// penstock: the public entry. Every export is named here; nothing is re-exported wholesale.

// Wrapping
export { entrypoint, step, flow } from "./wrap/wrap";
export type { FlowBuilder } from "./wrap/wrap";

// Flow context
export { currentFlowId, getFlowContext, setFlowValue, getFlowValue, flowKey } from "./context/flow-context";
export { runInFlow } from "./context/run-in-flow";
export { bindFlow } from "./context/bind-flow";
export type { RunInFlowOptions } from "./context/run-in-flow";

// Across processes
export { injectFlow, extractFlow, DEFAULT_CORRELATION_HEADER } from "./propagation/carrier";
export type { FlowCarrier, FlowCarrierOptions } from "./propagation/carrier";

// Configuration and backends
export { configure, getBackend } from "./config/configure";
export type { ConfigureOptions } from "./config/configure";
export { loggingBackend } from "./backends/logging";
export { combineBackends } from "./backends/combine";
export { isExpectedError } from "./call/expected";
export type { LoggingBackendOptions } from "./backends/logging";
export { settle } from "./backends/settle";
export type { SpanOutcome } from "./backends/settle";

// Registry and DAG
export { getRegistry, stepInfo } from "./registry/registry";
export { diffDag, flowStats, generateDag, validateFlow } from "./dag";
export type { DagDiff, DagDirection, DagFormat, DagJson, DagJsonFlow, DagJsonStep, FlowEdge, GenerateDagOptions } from "./dag";
export { flowReport } from "./report/flow-report";
export type { FlowReportOptions } from "./report/flow-report";
export type { FlowCallTrace, TraceOutcome, TraceStep } from "./logs/trace";
export type { ColorBy, DriftEdge, DriftStep, DurationStats, FlowStats, StepStats } from "./dag";

// Errors
export { PenstockError, isPenstockError } from "./errors";
export type { PenstockErrorCode } from "./errors";

// Types
export type {
  Attributes,
  AttributeValue,
  Backend,
  CrossFlowRef,
  EntrypointOptions,
  FlowContext,
  FlowInfo,
  FlowKey,
  FlowProblem,
  Registry,
  SpanInfo,
  StepInfo,
  StepKind,
  StepOptions,
  StepRef,
} from "./types";
