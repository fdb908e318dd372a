// The DAG's public surface: drawing flows and checking that they are sound.
export { diffDag } from "./diff-dag";
export type { DagDiff, DriftEdge, DriftStep, FlowEdge } from "./diff-dag";
export { flowStats } from "./flow-stats";
export type { DurationStats, FlowStats, StepStats } from "./flow-stats";
export type { ColorBy } from "./overlay";
export { generateDag } from "./generate";
export type { DagJson, DagJsonFlow, DagJsonStep } from "./json";
export type { DagDirection, DagFormat, GenerateDagOptions } from "./options";
export { validateFlow } from "./validate-flow";
