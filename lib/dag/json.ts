// The DAG as JSON: a small, versioned schema for tools that want the data, not a drawing.
import type { DagDiff, FlowEdge } from "./diff-dag";
import type { FlowStats } from "./flow-stats";
import { compareNames, type DagEdge, type FlowGraph } from "./graph";

const plain = ({ from, to }: DagEdge): FlowEdge => ({ from, to });

/** A step as it was registered. */
export interface DagJsonStep {
  readonly name: string;
  readonly kind: "entrypoint" | "step";
  /** Predecessors in declaration order, including names that are not registered. */
  readonly after: readonly string[];
}

/** One flow. Every list is sorted by UTF-16 code unit except `after`. */
export interface DagJsonFlow {
  readonly name: string;
  readonly entrypoints: readonly string[];
  /** Registered steps and entrypoints, sorted by name. */
  readonly steps: readonly DagJsonStep[];
  /** Distinct edges predecessor -> step, sorted by (from, to); `from` may be unregistered. */
  readonly edges: readonly FlowEdge[];
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
        steps: graph.nodes.flatMap((node) => (node.kind === "unknown" ? [] : [{ name: node.name, kind: node.kind, after: node.after }])),
        // `edges` stays what the declarations draw; what ran differently is under `drift`.
        edges: graph.edges.filter((edge) => edge.drift !== "undeclared").map(plain),
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
