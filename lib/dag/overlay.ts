// What the running code adds to a drawing: the statistics of flowStats on nodes and edges, the
// words of the drift marks, and the colour scale of DOT and SVG. The renderers call these only
// for a drawing with `stats` or `observed`, so every other drawing stays as it was, byte for byte.
import type { FlowStats } from "./flow-stats";
import type { DagEdge, FlowGraph, NodeStats } from "./graph";

/** `graph` with each node's figures and each edge's count from `stats` (same flow). */
export function statsGraph(graph: FlowGraph, stats: FlowStats): FlowGraph {
  const steps = new Map(stats.steps.map((step) => [step.step, step]));
  const counts = new Map(stats.edges.map((edge) => [JSON.stringify([edge.from, edge.to]), edge.count]));
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const step = steps.get(node.name);
      if (step === undefined) return node.kind === "unknown" ? node : { ...node, stats: { calls: 0, errors: 0, p95: 0 } };
      return { ...node, stats: { calls: step.calls, errors: step.errors, p95: step.durationMs.p95 } };
    }),
    edges: graph.edges.map((edge) => {
      if (edge.drift === "undeclared") return edge;
      return { ...edge, count: counts.get(JSON.stringify([edge.from, edge.to])) ?? 0 };
    }),
  };
}

/**
 * A duration in milliseconds as people read it: three significant digits, in µs, ms or s.
 *
 * @example
 * formatDuration(0.0123) // "12.3 µs"
 * formatDuration(1530)   // "1.53 s"
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0 ms";
  if (ms < 1) return `${Number((ms * 1000).toPrecision(3))} µs`;
  if (ms < 1000) return `${Number(ms.toPrecision(3))} ms`;
  return `${Number((ms / 1000).toPrecision(3))} s`;
}

/** Errors over calls, as a percentage with at most one decimal. */
export function errorRate(stats: NodeStats): number {
  return stats.calls === 0 ? 0 : Math.round((stats.errors / stats.calls) * 1000) / 10;
}

/**
 * The second line of a node with statistics.
 *
 * @example
 * nodeCaption({ calls: 12, errors: 1, p95: 3.2 }) // "12 calls · p95 3.2 ms · 8.3% errors"
 */
export function nodeCaption(stats: NodeStats): string {
  return `${stats.calls} ${stats.calls === 1 ? "call" : "calls"} · p95 ${formatDuration(stats.p95)} · ${errorRate(stats)}% errors`;
}

const DRIFT_WORDS: Readonly<Record<NonNullable<DagEdge["drift"]>, string>> = {
  undeclared: "undeclared",
  unexercised: "unexercised",
  outOfOrder: "out of order",
};

/** An edge's label: its drift mark and its count, either or both; undefined for none. */
export function edgeCaption(edge: DagEdge): string | undefined {
  const parts: string[] = [];
  if (edge.drift !== undefined) parts.push(DRIFT_WORDS[edge.drift]);
  if (edge.count !== undefined && edge.drift !== "unexercised") parts.push(String(edge.count));
  return parts.length === 0 ? undefined : parts.join(" · ");
}

/** What the DOT colour scale shows. */
export type ColorBy = "p95" | "errorRate";

/** Fixed classes, so that two drawings compare: yellow to dark red (ColorBrewer YlOrRd). */
const PALETTE = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"] as const;
const P95_LIMITS_MS = [1, 10, 100, 1000];
const ERROR_LIMITS_PERCENT = [0, 1, 5, 20];

/** The fill colour of a node with `stats` on the scale of `by`. */
export function nodeColour(stats: NodeStats, by: ColorBy): string {
  const value = by === "p95" ? stats.p95 : errorRate(stats);
  const limits = by === "p95" ? P95_LIMITS_MS : ERROR_LIMITS_PERCENT;
  // Error rates: the first class is exactly 0 %; p95: below 1 ms.
  let level = 0;
  while (level < limits.length && (by === "p95" ? value >= limits[level]! : value > limits[level]!)) level++;
  return PALETTE[level]!;
}

/** The legend of the scale of `by`: one entry per class, lowest first. */
export function legendEntries(by: ColorBy): { readonly label: string; readonly colour: string }[] {
  if (by === "p95") {
    return PALETTE.map((colour, i) => ({
      colour,
      label: i === 0 ? "p95 < 1 ms" : i === PALETTE.length - 1 ? "p95 ≥ 1 s" : `p95 ${formatDuration(P95_LIMITS_MS[i - 1]!)} – ${formatDuration(P95_LIMITS_MS[i]!)}`,
    }));
  }
  return PALETTE.map((colour, i) => ({
    colour,
    label: i === 0 ? "no errors" : i === PALETTE.length - 1 ? "errors > 20%" : `errors ${ERROR_LIMITS_PERCENT[i - 1]}–${ERROR_LIMITS_PERCENT[i]}%`,
  }));
}
