// One flow's drawing for the report: the graph with the drift and the statistics on it, its DOT
// text (for Graphviz), and the node ids both SVG renderers write into each node's <title>.
import type { DagDiff } from "../dag/diff-dag";
import { observedGraph } from "../dag/diff-dag";
import { dotFlow, isPlainDotId } from "../dag/dot";
import type { FlowStats } from "../dag/flow-stats";
import { flowGraph, type FlowGraph } from "../dag/graph";
import { singleFlowIds } from "../dag/node-ids";
import { statsGraph } from "../dag/overlay";
import type { FlowInfo } from "../types";
import type { ReportEdge, ReportFlow, ReportStep } from "./model";

/** What the running code adds to a flow's drawing; either may be absent. */
export interface FlowFigures {
  readonly stats?: FlowStats;
  readonly diff?: DagDiff;
}

/** A flow drawn for the report, before it is rendered to SVG. */
export interface FlowDrawing {
  readonly graph: FlowGraph;
  /** Step name -> the node's id in DOT and in the SVG's <title>s. */
  readonly ids: ReadonlyMap<string, string>;
  readonly dot: string;
}

/** The drawing of `flow` as `penstock dag --format svg --stats` draws it, drift marked. */
export function flowDrawing(flow: FlowInfo, figures: FlowFigures): FlowDrawing {
  let graph = flowGraph(flow);
  if (figures.diff !== undefined) graph = observedGraph(graph, figures.diff);
  if (figures.stats !== undefined && figures.stats.flow === flow.name) graph = statsGraph(graph, figures.stats);
  // The ids dotFlow gives the nodes (lib/dag/dot.ts): a plain name is its own id, others hashed.
  const ids = singleFlowIds(graph.nodes.map((node) => node.name), isPlainDotId);
  return { graph, ids, dot: dotFlow(graph, { direction: "TD" }) };
}

/** The report's record of one flow, given its drawing rendered as an SVG element. */
export function reportFlow(flow: FlowInfo, figures: FlowFigures, drawing: FlowDrawing, svg: string): ReportFlow {
  const stats = figures.stats?.flow === flow.name ? figures.stats : undefined;
  const byStep = new Map(stats?.steps.map((step) => [step.step, step]));
  const steps: ReportStep[] = drawing.graph.nodes.map((node) => {
    const figures = byStep.get(node.name);
    return {
      name: node.name,
      kind: node.kind,
      ...(node.source === undefined ? {} : { source: node.source }),
      ...(figures === undefined ? {} : { stats: figures }),
      ...(node.drift === undefined ? {} : { drift: node.drift }),
    };
  });
  const edges: ReportEdge[] = drawing.graph.edges.map((edge) => ({
    from: edge.from,
    to: edge.to,
    ...(edge.count === undefined ? {} : { count: edge.count }),
    ...(edge.drift === undefined ? {} : { drift: edge.drift }),
  }));
  return {
    name: flow.name,
    svg,
    nodeIds: [...drawing.ids].map(([step, id]) => [id, step] as const),
    steps,
    edges,
    ...(stats === undefined ? {} : { stats }),
    ...(figures.diff === undefined ? {} : { diff: figures.diff }),
  };
}
