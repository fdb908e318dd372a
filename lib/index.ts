// penstock: the public entry. Every export is named here; nothing is re-exported wholesale.

// Wrapping
export { entrypoint, step, flow } from "./wrap";
export type { FlowBuilder } from "./wrap";

// Flow context
export { currentFlowId, getFlowContext, setFlowValue, getFlowValue, flowKey, runInFlow } from "./context";
export { bindFlow } from "./bind-flow";
export type { RunInFlowOptions } from "./context";

// Across processes
export { injectFlow, extractFlow, DEFAULT_CORRELATION_HEADER } from "./carrier";
export type { FlowCarrier, FlowCarrierOptions } from "./carrier";

// Configuration and backends
export { configure, getBackend } from "./config";
export type { ConfigureOptions } from "./config";
export { loggingBackend } from "./backends/logging";
export type { LoggingBackendOptions } from "./backends/logging";
export { settle } from "./backends/settle";
export type { SpanOutcome } from "./backends/settle";

// Registry and DAG
export { getRegistry, stepInfo } from "./registry";
export { diffDag, generateDag, validateFlow } from "./dag";
export type { DagDiff, DagDirection, DagFormat, DagJson, DagJsonFlow, DagJsonStep, FlowEdge, GenerateDagOptions } from "./dag";

// Errors
export { PenstockError, isPenstockError } from "./errors";
export type { PenstockErrorCode } from "./errors";

// Types
export type {
  Attributes,
  AttributeValue,
  Backend,
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
