// What the drawings share about nodes that are not the flow's own steps: names some `after`
// refers to that are not registered, and steps of other flows that start this one.
import { compareNames, type ExternalEdge, type FlowGraph } from "./graph";

/** The label of another flow's step: its name, then its flow. */
export function externalLabel(ref: { readonly flow: string; readonly step: string }): string {
  return `${ref.step} (${ref.flow})`;
}

/** A key for another flow's step, unique for each (flow, step). */
export function externalKey(ref: { readonly flow: string; readonly step: string }): string {
  return JSON.stringify([ref.flow, ref.step]);
}

/** The distinct other-flow steps of a graph's cross-flow edges, in edge order. */
export function externalSources(graph: FlowGraph): readonly ExternalEdge[] {
  const seen = new Map<string, ExternalEdge>();
  for (const edge of graph.external ?? []) if (!seen.has(externalKey(edge))) seen.set(externalKey(edge), edge);
  return [...seen.values()];
}

/** Every cross-flow edge of the graphs, sorted by (flow, step, flow of the entrypoint, entrypoint). */
export function crossFlowEdges(graphs: readonly FlowGraph[]): { readonly from: ExternalEdge; readonly toFlow: string }[] {
  return graphs
    .flatMap((graph) => (graph.external ?? []).map((from) => ({ from, toFlow: graph.flow })))
    .sort((a, b) => compareNames(a.from.flow, b.from.flow) || compareNames(a.from.step, b.from.step) || compareNames(a.toFlow, b.toFlow) || compareNames(a.from.to, b.from.to));
}
