// diffDag: what the running code did, against what the `after` declarations draw. Order is
// what `after` declares, so order is what is checked (lib/observations/conformance.ts); calls
// count only where a caller reaches a step the drawing gives it no path to.
import { z } from "zod";
import { observedEdges } from "../observations/call-edges";
import { observations, type StepRecord } from "../observations/records";
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

/** An edge {@link diffDag} reports, with how often it was seen and one flow call that shows it. */
export interface DriftEdge extends FlowEdge {
  readonly count: number;
  /** The correlation ID of one offending flow call. */
  readonly example?: string;
}

/** A step {@link diffDag} reports as unpreceded. */
export interface DriftStep {
  readonly step: string;
  readonly count: number;
  readonly example?: string;
}

/** What {@link diffDag} finds; edges sorted by (`from`, `to`), steps by name. */
export interface DagDiff {
  /** X called Y (X is Y's nearest wrapped caller of the same flow) and the drawing has no path X ⇝ Y; `count` calls. */
  readonly undeclared: readonly DriftEdge[];
  /** Declared X → Y, never seen with X running before Y in one flow call (`count` 0). */
  readonly unexercised: readonly DriftEdge[];
  /** Declared X → Y, but in a flow call Y ran before X: `count` calls of X that began after Y had run. */
  readonly outOfOrder: readonly DriftEdge[];
  /** Y ran in a flow call in which none of its declared predecessors ran before it: `count` such calls. */
  readonly unpreceded: readonly DriftStep[];
}

function withExample<T extends object>(record: T, example: string | undefined): T {
  return example === undefined ? record : { ...record, example };
}

/** Whether the declared edges of `graph` give a path of one edge or more from `from` to `to`. */
function pathFinder(graph: FlowGraph): (from: string, to: string) => boolean {
  const next = new Map<string, string[]>();
  for (const { from, to } of graph.edges) {
    let list = next.get(from);
    if (list === undefined) next.set(from, (list = []));
    list.push(to);
  }
  const reach = new Map<string, Set<string>>();
  return (from, to) => {
    let seen = reach.get(from);
    if (seen === undefined) {
      seen = new Set();
      const stack = [...(next.get(from) ?? [])];
      while (stack.length > 0) {
        const name = stack.pop()!;
        if (seen.has(name)) continue;
        seen.add(name);
        for (const after of next.get(name) ?? []) stack.push(after);
      }
      reach.set(from, seen);
    }
    return seen.has(to);
  };
}

/** The drift of one flow's graph against what has been observed for that flow's name. */
export function graphDiff(graph: FlowGraph): DagDiff {
  const record = observations.flows.get(graph.flow);
  const step = (name: string): StepRecord | undefined => record?.steps.get(name);
  const hasPath = pathFinder(graph);
  const unexercised: DriftEdge[] = [];
  const outOfOrder: DriftEdge[] = [];
  for (const { from, to } of graph.edges) {
    const target = step(to);
    const at = target === undefined ? -1 : target.preds.findIndex((pred) => pred.name === from);
    if (at < 0 || target!.predRan[at] === 0) unexercised.push({ from, to, count: 0 });
    const source = step(from);
    const back = source === undefined ? -1 : source.succs.findIndex((succ) => succ.name === to);
    if (back >= 0 && source!.succRan[back]! > 0) outOfOrder.push(withExample({ from, to, count: source!.succRan[back]! }, source!.succExample[back]));
  }
  const unpreceded: DriftStep[] = [];
  const declared = new Set(graph.nodes.map((node) => node.name));
  for (const node of record?.byIndex ?? []) {
    if (node.unpreceded > 0 && declared.has(node.name)) unpreceded.push(withExample({ step: node.name, count: node.unpreceded }, node.unprecededExample));
  }
  return {
    undeclared: observedEdges(graph.flow)
      .filter(({ from, to, count }) => count > 0 && !hasPath(from, to))
      .map(({ from, to, count, example }) => withExample({ from, to, count }, example))
      .sort(compareEdges),
    unexercised,
    outOfOrder,
    unpreceded: unpreceded.sort((a, b) => compareNames(a.step, b.step)),
  };
}

/**
 * The drift between the drawing of `flow` and the running code, by order. Within one flow call
 * (an entrypoint called outside any flow, a `runInFlow`, an HTTP request, a queue job), X ran
 * before Y when a call of X finished before a call of Y began, or X is on Y's chain of wrapped
 * callers. Observations accumulate from process start until `resetPenstock()` or
 * `clearObservations()` (`penstock/testing`); each process checks the flow calls it ran.
 * Throws `UNKNOWN_FLOW` for a flow that is not registered, `INVALID_ARGUMENT` for bad input.
 *
 * @example
 * await placeOrder(order);
 * diffDag("orders"); // { undeclared: [], unexercised: [], outOfOrder: [], unpreceded: [] }
 */
export function diffDag(flow: string, registry: Registry = getRegistry()): DagDiff {
  parseOrThrow(z.string(), flow, "diffDag(flow)");
  parseOrThrow(registrySchema, registry, "diffDag(flow, registry)");
  return graphDiff(flowGraph(registry.flow(flow)));
}

function edgeKey(from: string, to: string): string {
  return JSON.stringify([from, to]);
}

/**
 * `graph` with the drift marked: declared edges never seen get `drift: "unexercised"`, those
 * seen the other way round `drift: "outOfOrder"`, undeclared calls are added with
 * `drift: "undeclared"` (their ends too, as unknown nodes, should a registration have been
 * cleared since), and unpreceded steps get `drift: "unpreceded"`.
 */
export function observedGraph(graph: FlowGraph, diff: DagDiff = graphDiff(graph)): FlowGraph {
  const marks = new Map<string, NonNullable<DagEdge["drift"]>>();
  for (const { from, to } of diff.unexercised) marks.set(edgeKey(from, to), "unexercised");
  // An edge both unexercised and out of order was only ever seen the wrong way round.
  for (const { from, to } of diff.outOfOrder) marks.set(edgeKey(from, to), "outOfOrder");
  const edges: DagEdge[] = graph.edges.map((edge) => {
    const drift = marks.get(edgeKey(edge.from, edge.to));
    return drift === undefined ? edge : { ...edge, drift };
  });
  const unpreceded = new Set(diff.unpreceded.map(({ step }) => step));
  const nodes = new Map<string, DagNode>(graph.nodes.map((node) => [node.name, unpreceded.has(node.name) ? { ...node, drift: "unpreceded" } : node]));
  for (const { from, to } of diff.undeclared) {
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
