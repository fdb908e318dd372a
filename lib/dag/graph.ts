// The neutral graph of one flow that every format and the validator draw from.
import type { FlowInfo, StepKind } from "../types";

/** A cross-flow edge: a step of another flow that an entrypoint of this one follows. */
export interface ExternalEdge {
  /** The other flow and its step. */
  readonly flow: string;
  readonly step: string;
  /** The entrypoint of this flow. */
  readonly to: string;
}

/** A registered step or entrypoint, or a name some `after` refers to that is not registered. */
export type DagNodeKind = StepKind | "unknown";

/** One node of a flow graph. */
export interface DagNode {
  readonly name: string;
  readonly kind: DagNodeKind;
  /** The predecessors as registered, in declaration order (empty for an unknown node). */
  readonly after: readonly string[];
  /** Where it was registered (`file:line:column`), when known; never for an unknown node. */
  readonly source?: string;
  /** Only in a drawing with `observed: true`: the step ran with none of its predecessors before it. */
  readonly drift?: "unpreceded";
  /** Only in a drawing with `stats`: the step's figures (lib/dag/overlay.ts). */
  readonly stats?: NodeStats;
}

/** The figures a drawing with `stats` shows on a node. */
export interface NodeStats {
  readonly calls: number;
  readonly errors: number;
  /** Milliseconds. */
  readonly p95: number;
}

/** An edge from a predecessor to the step that names it in `after`. */
export interface DagEdge {
  readonly from: string;
  readonly to: string;
  /**
   * Only in a drawing with `observed: true`: `"undeclared"` for a call seen at run time along
   * no declared path, `"unexercised"` for a declared edge never seen in order, `"outOfOrder"`
   * for one seen the other way round. Absent otherwise.
   */
  readonly drift?: "undeclared" | "unexercised" | "outOfOrder";
  /** Only in a drawing with `stats`: times `from` ran before `to` (undeclared: calls). */
  readonly count?: number;
}

/** One flow as nodes and edges, sorted so that every drawing of it is byte-for-byte stable. */
export interface FlowGraph {
  readonly flow: string;
  /** Entrypoint names, sorted. */
  readonly entrypoints: readonly string[];
  /** Every node, sorted by name. */
  readonly nodes: readonly DagNode[];
  /** Every distinct edge, sorted by (from, to). */
  readonly edges: readonly DagEdge[];
  /** Cross-flow edges into this flow's entrypoints, sorted by (flow, step, to); absent when none. */
  readonly external?: readonly ExternalEdge[];
}

/** Orders cross-flow edges by the other flow, its step, then the entrypoint. */
export function compareExternal(a: ExternalEdge, b: ExternalEdge): number {
  return compareNames(a.flow, b.flow) || compareNames(a.step, b.step) || compareNames(a.to, b.to);
}

/**
 * Orders names by UTF-16 code unit, as `Array.prototype.sort` does by default: unlike
 * `localeCompare` it gives the same order on every machine and every locale.
 *
 * @example
 * ["b", "B", "a"].sort(compareNames) // ["B", "a", "b"]
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders edges by `from`, then `to` (see {@link compareNames}). */
export function compareEdges(a: DagEdge, b: DagEdge): number {
  return compareNames(a.from, b.from) || compareNames(a.to, b.to);
}

/**
 * The graph of one registered flow. Names referred to in `after` but never registered become
 * nodes of kind `"unknown"`, so a drawing shows the dangling reference instead of hiding it.
 *
 * @example
 * const graph = flowGraph(getRegistry().flow("orders"));
 * graph.edges // [{ from: "receive", to: "validate" }, ...]
 */
export function flowGraph(flow: FlowInfo): FlowGraph {
  const nodes = new Map<string, DagNode>();
  // Edges grouped by their source, so that sorting them is sorting plain strings (below).
  const targets = new Map<string, string[]>();
  const external: ExternalEdge[] = [];
  for (const name of Object.keys(flow.steps)) {
    const step = flow.steps[name]!;
    nodes.set(name, step.source === undefined ? { name, kind: step.kind, after: step.after } : { name, kind: step.kind, after: step.after, source: step.source });
    if (step.crossFlow !== undefined) for (const ref of step.crossFlow) external.push({ flow: ref.flow, step: ref.step, to: name });
  }
  for (const step of nodes.values()) {
    // A name listed twice in one `after` is still one edge.
    for (const from of new Set(step.after)) {
      if (!nodes.has(from)) nodes.set(from, { name: from, kind: "unknown", after: [] });
      let to = targets.get(from);
      if (to === undefined) targets.set(from, (to = []));
      to.push(step.name);
    }
  }
  // The built-in sort of strings orders by UTF-16 code unit, exactly as compareNames, but
  // without a call into a JavaScript comparator for each of its n log n comparisons: on a
  // 10,000-step flow that was most of the time of a drawing. Every edge's source is a node,
  // so the sorted nodes give the sources in order (one sort of n names, not two); each
  // source's targets are then sorted on their own, which gives the (from, to) order of
  // compareEdges. A step's name is unique, so no (from, to) pair is listed twice.
  const names = [...nodes.keys()].sort();
  const edges: DagEdge[] = [];
  for (const from of names) {
    const to = targets.get(from);
    if (to === undefined) continue;
    if (to.length > 1) to.sort();
    for (const name of to) edges.push({ from, to: name });
  }
  const graph: FlowGraph = {
    flow: flow.name,
    entrypoints: [...flow.entrypoints].sort(),
    nodes: names.map((name) => nodes.get(name)!),
    edges,
  };
  return external.length === 0 ? graph : { ...graph, external: external.sort(compareExternal) };
}
