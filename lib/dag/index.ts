// The DAG's public surface: drawing flows and checking that they are sound.
export { diffDag } from "./drift";
export type { DagDiff, FlowEdge } from "./drift";
export { generateDag } from "./generate";
export type { DagJson, DagJsonFlow, DagJsonStep } from "./json";
export type { DagDirection, DagFormat, GenerateDagOptions } from "./options";
export { validateFlow } from "./validate";
