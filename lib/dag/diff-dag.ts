// diffDag: the calls the running code made, against the edges the `after` declarations draw.
import { z } from "zod";
import { observedEdges } from "../observations/call-edges";
import { getRegistry } from "../registry/registry";
import type { Registry } from "../types";
import { parseOrThrow } from "../internal/parse-or-throw";
import { compareEdges, compareNames, flowGraph, type DagEdge, type DagNode, type FlowGraph } from "./graph";
import { registrySchema } from "./options";

/** An edge of a flow: `from` is the predecessor (or, observed, the caller) of `to`. */
export interface FlowEdge {
  readonly from: string;
  readonly to: string;
}

/** What {@link diffDag} finds; each list sorted by (`from`, `to`). */
export interface DagDiff {
  /** A step called another at run time, but no `after` declares that edge. */
  readonly undeclared: readonly FlowEdge[];
  /** An `after` declares the edge, but the call was never seen (since start or the last reset). */
  readonly unexercised: readonly FlowEdge[];
}

// Names may hold any character, so edges are keyed by nesting, never by joining strings.
function edgeSet(edges: Iterable<readonly [string, string]>): Map<string, Set<string>> {
  const set = new Map<string, Set<string>>();
  for (const [from, to] of edges) {
    let targets = set.get(from);
    if (targets === undefined) set.set(from, (targets = new Set()));
    targets.add(to);
  }
  return set;
}

/** The drift of one flow's graph against what has been observed for that flow's name. */
export function graphDiff(graph: FlowGraph): DagDiff {
  const observed = observedEdges(graph.flow);
  const declared = edgeSet(graph.edges.map(({ from, to }) => [from, to] as const));
  const seen = edgeSet(observed);
  return {
    undeclared: observed
      .filter(([from, to]) => declared.get(from)?.has(to) !== true)
      .map(([from, to]) => ({ from, to }))
      .sort(compareEdges),
    unexercised: graph.edges.filter(({ from, to }) => seen.get(from)?.has(to) !== true).map(({ from, to }) => ({ from, to })),
  };
}

/**
 * The drift between the drawing of `flow` and the running code. penstock notes, for every
 * wrapped call made inside a step of the same flow, the edge caller -> callee (one entry
 * per distinct edge). `undeclared` lists the edges that ran but that no `after` declares;
 * `unexercised` the declared edges never seen. Observations accumulate from process start
 * until `resetPenstock()` or `clearObservations()` (`penstock/testing`).
 * Throws `UNKNOWN_FLOW` for a flow that is not registered, `INVALID_ARGUMENT` for bad input.
 *
 * @example
 * await placeOrder(order);
 * const { undeclared, unexercised } = diffDag("orders");
 * // undeclared: [{ from: "place_order", to: "send_confirmation" }], ...
 */
export function diffDag(flow: string, registry: Registry = getRegistry()): DagDiff {
  parseOrThrow(z.string(), flow, "diffDag(flow)");
  parseOrThrow(registrySchema, registry, "diffDag(flow, registry)");
  return graphDiff(flowGraph(registry.flow(flow)));
}

/**
 * `graph` with every edge marked against the observations: declared edges never seen get
 * `drift: "unexercised"`, and the undeclared edges are added with `drift: "undeclared"`
 * (their ends too, as unknown nodes, should a registration have been cleared since).
 */
export function observedGraph(graph: FlowGraph): FlowGraph {
  const { undeclared, unexercised } = graphDiff(graph);
  const missed = edgeSet(unexercised.map(({ from, to }) => [from, to] as const));
  const edges: DagEdge[] = graph.edges.map((edge) => (missed.get(edge.from)?.has(edge.to) === true ? { ...edge, drift: "unexercised" } : edge));
  const nodes = new Map<string, DagNode>(graph.nodes.map((node) => [node.name, node]));
  for (const { from, to } of undeclared) {
    edges.push({ from, to, drift: "undeclared" });
    for (const name of [from, to]) if (!nodes.has(name)) nodes.set(name, { name, kind: "unknown", after: [] });
  }
  return {
    flow: graph.flow,
    entrypoints: graph.entrypoints,
    nodes: [...nodes.values()].sort((a, b) => compareNames(a.name, b.name)),
    edges: edges.sort(compareEdges),
    ...(graph.external === undefined ? {} : { external: graph.external }),
  };
}
