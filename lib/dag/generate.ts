// generateDag: draw one flow or all of them as Mermaid, Markdown, DOT or JSON.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { getRegistry } from "../registry/registry";
import { parseOrThrow } from "../internal/parse-or-throw";
import { dotFlow, dotFlows } from "./dot";
import { graphDiff, observedGraph } from "./diff-dag";
import { flowStats, type FlowStats } from "./flow-stats";
import { flowGraph, type FlowGraph } from "./graph";
import { jsonFlows, type FlowExtras } from "./json";
import { markdownFlows } from "./markdown";
import { mermaidFlow, mermaidFlows } from "./mermaid";
import { flowStatsSchema, generateDagOptionsSchema, type DagDirection, type DagFormat, type GenerateDagOptions } from "./options";
import { statsGraph, type ColorBy } from "./overlay";
import type { Registry } from "../types";

interface RenderOptions {
  readonly direction: DagDirection;
  readonly decorate: boolean;
  readonly colorBy: ColorBy;
  /** By flow: the drift and statistics a drawing was asked for. */
  readonly extras: ReadonlyMap<string, FlowExtras>;
}

// `single` keeps a named flow in the plain one-flow layout even though the same graph drawn
// as part of "every flow" gets a subgraph.
function render(format: DagFormat, graphs: readonly FlowGraph[], single: boolean, options: RenderOptions): string {
  switch (format) {
    case "mermaid":
      return single ? mermaidFlow(graphs[0]!, options) : mermaidFlows(graphs, options);
    case "markdown":
      return markdownFlows(graphs, options, options.extras);
    case "dot":
      return single ? dotFlow(graphs[0]!, options) : dotFlows(graphs, options);
    case "json":
      return jsonFlows(graphs, options.extras);
  }
}

/** The graph of flow `name` with what ran drawn on it, as asked; `extras` gets the figures. */
function overlaid(name: string, registry: Registry, observed: boolean, stats: FlowStats | true | undefined, extras: Map<string, FlowExtras>): FlowGraph {
  let graph = flowGraph(registry.flow(name));
  const extra: { drift?: FlowExtras["drift"]; stats?: FlowStats } = {};
  if (observed) {
    extra.drift = graphDiff(graph);
    graph = observedGraph(graph, extra.drift);
  }
  const figures = stats === true ? flowStats(name, registry) : stats?.flow === name ? stats : undefined;
  if (figures !== undefined) {
    extra.stats = figures;
    graph = statsGraph(graph, figures);
  }
  if (observed || figures !== undefined) extras.set(name, extra);
  return graph;
}

/**
 * The DAG of one flow, or of every flow when `flow` is omitted, as text; byte-for-byte the
 * same for the same registrations in any order. Mermaid (the default) of one flow is the
 * plain format: `graph TD`, the edges `    a --> b` sorted, then the steps without edges.
 * Throws `PenstockError` `UNKNOWN_FLOW` for a flow that is not registered and
 * `INVALID_ARGUMENT` for a bad argument or option.
 *
 * @example
 * generateDag("user_update");
 * // "graph TD\n    check_permissions --> load_user\n    ...\n"
 * generateDag(undefined, { format: "markdown", output: "docs/flows.md" });
 */
export function generateDag(flow?: string, options?: GenerateDagOptions): string {
  if (flow !== undefined) parseOrThrow(z.string(), flow, "generateDag(flow)");
  const {
    format = "mermaid",
    direction = "TD",
    output,
    registry = getRegistry(),
    // Entrypoints are marked, except in the one-flow Mermaid drawing: that one is the plain
    // format, byte for byte, unless asked.
    decorate = !(format === "mermaid" && flow !== undefined),
    observed = false,
    stats = false,
    colorBy = "p95",
  } = parseOrThrow(generateDagOptionsSchema, options === undefined ? {} : options, "generateDag(flow, options)");
  const given = typeof stats === "boolean" ? undefined : (parseOrThrow(flowStatsSchema, stats, "generateDag(flow, options).stats") as FlowStats);
  const extras = new Map<string, FlowExtras>();
  const graphs = (flow === undefined ? registry.flowNames() : [flow]).map((name) => overlaid(name, registry, observed, stats === false ? undefined : given ?? true, extras));
  const text = render(format, graphs, flow !== undefined, { direction, decorate, colorBy, extras });
  if (output !== undefined) {
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, text, "utf8");
  }
  return text;
}
