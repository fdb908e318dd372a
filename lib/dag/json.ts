// The DAG as JSON: a small, versioned schema for tools that want the data, not a drawing.
import type { DagDiff, FlowEdge } from "./diff-dag";
import type { FlowStats } from "./flow-stats";
import { compareNames, type DagEdge, type FlowGraph } from "./graph";

const plain = ({ from, to }: DagEdge): FlowEdge => ({ from, to });

/**
 * A step as it was registered, or (`kind: "unknown"`) a name some `after` lists that the flow
 * has not registered.
 */
export interface DagJsonStep {
  readonly name: string;
  readonly kind: "entrypoint" | "step" | "unknown";
  /** Predecessors in declaration order, including names that are not registered. */
  readonly after: readonly string[];
  /** Where it was registered, `file:line:column`, when known. */
  readonly source?: string;
}

/** A cross-flow edge: the step `step` of flow `flow` starts this flow's entrypoint `to`. */
export interface DagJsonCrossFlowEdge {
  readonly flow: string;
  readonly step: string;
  readonly to: string;
}

/** One flow. Every list is sorted by UTF-16 code unit except `after`. */
export interface DagJsonFlow {
  readonly name: string;
  readonly entrypoints: readonly string[];
  /** Registered steps and entrypoints, and unknown names, sorted by name. */
  readonly steps: readonly DagJsonStep[];
  /** Distinct edges predecessor -> step, sorted by (from, to); `from` may be unregistered. */
  readonly edges: readonly FlowEdge[];
  /** Cross-flow edges into this flow's entrypoints, sorted by (flow, step, to); absent when none. */
  readonly crossFlow?: readonly DagJsonCrossFlowEdge[];
  /** Only with `observed: true`: the flow's {@link DagDiff} (see `diffDag`). */
  readonly drift?: DagDiff;
  /** Only with `stats`: the flow's {@link FlowStats} (see `flowStats`). */
  readonly stats?: FlowStats;
}

/** What a drawing adds to a flow from what ran: its drift, its statistics. */
export interface FlowExtras {
  readonly drift?: DagDiff;
  readonly stats?: FlowStats;
}

/** The document {@link jsonFlows} writes. `version` changes only if the shape does. */
export interface DagJson {
  readonly version: 1;
  readonly flows: readonly DagJsonFlow[];
}

/**
 * The flows as a pretty-printed (2 spaces) JSON document with a trailing newline; a flow with
 * extras also carries its `drift` and `stats`.
 *
 * @example
 * JSON.parse(jsonFlows([flowGraph(registry.flow("orders"))])).flows[0].edges
 * // [{ from: "receive", to: "validate" }]
 */
export function jsonFlows(graphs: readonly FlowGraph[], extras: ReadonlyMap<string, FlowExtras> = new Map()): string {
  const flows: DagJsonFlow[] = [...graphs]
    .sort((a, b) => compareNames(a.flow, b.flow))
    .map((graph) => {
      const flow: DagJsonFlow = {
        name: graph.flow,
        entrypoints: graph.entrypoints,
        steps: graph.nodes.map((node) => (node.source === undefined ? { name: node.name, kind: node.kind, after: node.after } : { name: node.name, kind: node.kind, after: node.after, source: node.source })),
        // `edges` stays what the declarations draw; what ran differently is under `drift`.
        edges: graph.edges.filter((edge) => edge.drift !== "undeclared").map(plain),
        ...(graph.external === undefined ? {} : { crossFlow: graph.external.map(({ flow, step, to }) => ({ flow, step, to })) }),
      };
      const extra = extras.get(graph.flow);
      if (extra === undefined) return flow;
      return {
        ...flow,
        ...(extra.drift === undefined ? {} : { drift: extra.drift }),
        ...(extra.stats === undefined ? {} : { stats: extra.stats }),
      };
    });
  const document: DagJson = { version: 1, flows };
  return `${JSON.stringify(document, null, 2)}\n`;
}
