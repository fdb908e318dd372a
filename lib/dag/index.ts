// The DAG's public surface: drawing flows and checking that they are sound.
export { diffDag } from "./diff-dag";
export type { DagDiff, FlowEdge } from "./diff-dag";
export { generateDag } from "./generate";
export type { DagJson, DagJsonFlow, DagJsonStep } from "./json";
export type { DagDirection, DagFormat, GenerateDagOptions } from "./options";
export { validateFlow } from "./validate-flow";
