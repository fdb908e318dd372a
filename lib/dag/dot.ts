// Graphviz DOT: one digraph per flow, or one cluster per flow for all of them.
import { compareNames, type DagEdge, type DagNode, type FlowGraph } from "./graph";
import { edgeCaption, legendEntries, nodeCaption, nodeColour, type ColorBy } from "./overlay";
import { createIdAllocator, fnv1a, singleFlowIds } from "./node-ids";
import type { DagDirection } from "./options";
import { crossFlowEdges, externalKey, externalLabel, externalSources } from "./marks";
import { hasUnprintable, visibleText } from "./text";

/** How a DOT drawing is laid out. */
export interface DotOptions {
  readonly direction: DagDirection;
  /** With `stats`: what the nodes' fill colour shows (lib/dag/overlay.ts). Default `"p95"`. */
  readonly colorBy?: ColorBy;
}

/**
 * `text` as a DOT quoted string. Inside quotes DOT itself only knows `\"` (and a backslash
 * before a newline); doubling every backslash keeps ids injective and, in labels, is what
 * Graphviz's own escape processing turns back into one backslash.
 *
 * @example
 * dotString('say "hi"') // "\"say \\\"hi\\\"\""
 */
export function dotString(text: string): string {
  return `"${text.replace(/[\\"]/g, "\\$&").replace(/\r?\n|\r/g, "\\n")}"`;
}

/** `name` as a DOT label: Graphviz reads `&name;` entities and `\n`-style escapes in labels. */
export function dotLabel(name: string): string {
  return dotString(visibleText(name).replace(/&/g, "&amp;"));
}

// The default label `\N` would run the name through the same escape processing.
const NEEDS_LABEL = /[\\&]/;

const KIND_ATTRIBUTES: Readonly<Record<DagNode["kind"], string>> = {
  entrypoint: 'style="rounded,bold", peripheries=2',
  step: "",
  unknown: 'style="rounded,dashed"',
};

// Only drawings with `observed` have marked edges (see mermaid.ts for the Mermaid marks).
const DRIFT_ATTRIBUTES: Readonly<Record<NonNullable<DagEdge["drift"]>, string>> = {
  undeclared: "style=dashed, color=red, fontcolor=red",
  unexercised: "style=dotted, color=gray50, fontcolor=gray50",
  outOfOrder: "style=bold, color=darkorange, fontcolor=darkorange",
};

// Another flow's step (the hop that starts this flow): dotted, and so is the edge from it.
const EXTERNAL_NODE = 'style="rounded,dotted"';
const CROSS_FLOW_EDGE = "style=dashed";

function edgeAttributes(edge: DagEdge): string {
  const caption = edgeCaption(edge);
  const attributes = [edge.drift === undefined ? "" : DRIFT_ATTRIBUTES[edge.drift], caption === undefined ? "" : `label=${dotString(caption)}`].filter((a) => a !== "");
  return attributes.length === 0 ? "" : ` [${attributes.join(", ")}]`;
}

// What ran (lib/dag/overlay.ts): only drawings with `stats` or `observed` get these.
function overlayAttributes(node: DagNode, options: DotOptions, attributes: string[]): void {
  if (node.stats !== undefined) {
    const at = attributes.findIndex((a) => a.startsWith("label="));
    const label = dotString(`${visibleText(node.name).replace(/&/g, "&amp;")}\n${nodeCaption(node.stats)}`);
    if (at >= 0) attributes[at] = `label=${label}`;
    else attributes.unshift(`label=${label}`);
    // Keep the kind's own style (rounded, bold, dashed) and fill it.
    const style = attributes.findIndex((a) => a.startsWith("style="));
    if (style >= 0) attributes[style] = attributes[style]!.replace(/^style="([^"]*)"/, 'style="$1,filled"');
    else attributes.push('style="rounded,filled"');
    attributes.push(`fillcolor="${nodeColour(node.stats, options.colorBy ?? "p95")}"`);
  }
  if (node.drift === "unpreceded") attributes.push('color=red, penwidth=2, xlabel="unpreceded"');
}

/** The legend of the colour scale: a cluster of one box per class, after the flows. */
function legend(options: DotOptions, cluster: string, boxId: (i: number) => string, indent: string): string {
  let out = `${indent}subgraph ${dotString(cluster)} {\n${indent}    label=${dotString(options.colorBy === "errorRate" ? "error rate" : "p95")};\n`;
  const entries = legendEntries(options.colorBy ?? "p95");
  const boxes = entries.map((_, i) => boxId(i));
  entries.forEach((entry, i) => {
    out += `${indent}    ${dotString(boxes[i]!)} [label=${dotString(entry.label)}, style="rounded,filled", fillcolor="${entry.colour}"];\n`;
  });
  for (let i = 1; i < entries.length; i++) out += `${indent}    ${dotString(boxes[i - 1]!)} -> ${dotString(boxes[i]!)} [style=invis];\n`;
  return `${out}${indent}}\n`;
}

/** Ids not in `used`: `candidate`, else `candidate_2`, `_3`, ... */
function freeId(used: Set<string>, candidate: string): string {
  let id = candidate;
  for (let n = 2; used.has(id); n++) id = `${candidate}_${n}`;
  used.add(id);
  return id;
}

function header(name: string, options: DotOptions): string {
  return `digraph ${dotString(visibleText(name))} {\n    rankdir=${options.direction === "LR" ? "LR" : "TB"};\n    node [shape=box, style=rounded];\n`;
}

function body(graph: FlowGraph, ids: ReadonlyMap<string, string>, indent: string, options: DotOptions): string {
  let out = "";
  for (const node of graph.nodes) {
    const id = ids.get(node.name)!;
    const attributes: string[] = [];
    if (id !== node.name || NEEDS_LABEL.test(node.name)) attributes.push(`label=${dotLabel(node.name)}`);
    if (KIND_ATTRIBUTES[node.kind]) attributes.push(KIND_ATTRIBUTES[node.kind]);
    overlayAttributes(node, options, attributes);
    out += `${indent}${dotString(id)}${attributes.length > 0 ? ` [${attributes.join(", ")}]` : ""};\n`;
  }
  for (const edge of graph.edges) {
    out += `${indent}${dotString(ids.get(edge.from)!)} -> ${dotString(ids.get(edge.to)!)}${edgeAttributes(edge)};\n`;
  }
  return out;
}

/**
 * True when `name` can be its own DOT id. Graphviz takes a name that starts with `%` for one
 * of its internal anonymous ids and draws `%3` in its place; unprintable names cannot be shown.
 *
 * @example
 * isPlainDotId("load user") // true
 * isPlainDotId("%total")    // false
 */
export function isPlainDotId(name: string): boolean {
  return !name.startsWith("%") && !hasUnprintable(name);
}

// Names that cannot be their own id get a hashed one and carry the name as a label.
function idPart(name: string, hashPrefix: string): string {
  return isPlainDotId(name) ? name : `${hashPrefix}${fnv1a(name)}`;
}

/**
 * One flow as a DOT digraph: every node declared (entrypoints bold with a double border,
 * names referenced in `after` but never registered dashed), then the edges, sorted.
 *
 * @example
 * dotFlow(flowGraph(registry.flow("orders")), { direction: "TD" })
 * // 'digraph "orders" {\n    rankdir=TB;\n ...}\n'
 */
export function dotFlow(graph: FlowGraph, options: DotOptions): string {
  const ids = singleFlowIds(graph.nodes.map(({ name }) => name), isPlainDotId);
  const used = new Set(ids.values());
  const stats = graph.nodes.some((node) => node.stats !== undefined) ? legend(options, freeId(used, "cluster_legend"), (i) => freeId(used, `legend ${i}`), "    ") : "";
  return `${header(graph.flow, options)}${body(graph, ids, "    ", options)}${externalBody(graph, ids)}${stats}}\n`;
}

// One flow's cross-flow edges, from a node `<flow>/<step>` for each other flow's step.
function externalBody(graph: FlowGraph, ids: ReadonlyMap<string, string>): string {
  const sources = externalSources(graph);
  if (sources.length === 0) return "";
  const taken = createIdAllocator();
  for (const id of ids.values()) taken.reserve(id);
  const sourceIds = new Map(sources.map((ref) => [externalKey(ref), taken.allocate(`${idPart(ref.flow, "f_")}/${idPart(ref.step, "n_")}`)] as const));
  let out = "";
  for (const ref of sources) out += `    ${dotString(sourceIds.get(externalKey(ref))!)} [label=${dotLabel(externalLabel(ref))}, ${EXTERNAL_NODE}];\n`;
  for (const edge of graph.external!) out += `    ${dotString(sourceIds.get(externalKey(edge))!)} -> ${dotString(ids.get(edge.to)!)} [${CROSS_FLOW_EDGE}];\n`;
  return out;
}

/**
 * Every flow, one `cluster_<flow>` subgraph each, labelled with the flow's name. Node ids are
 * `<flow>/<step>`, so a step name used in two flows is two nodes.
 *
 * @example
 * dotFlows(names.map((n) => flowGraph(registry.flow(n))), { direction: "LR" })
 */
export function dotFlows(graphs: readonly FlowGraph[], options: DotOptions): string {
  const sorted = [...graphs].sort((a, b) => compareNames(a.flow, b.flow));
  const clusters = createIdAllocator();
  const nodes = createIdAllocator();
  let out = header("penstock", options);
  const idsOf = new Map<string, ReadonlyMap<string, string>>();
  for (const graph of sorted) {
    const key = idPart(graph.flow, "f_");
    const cluster = clusters.allocate(`cluster_${key}`);
    const ids = new Map(graph.nodes.map(({ name }) => [name, nodes.allocate(`${key}/${idPart(name, "n_")}`)] as const));
    idsOf.set(graph.flow, ids);
    out += `    subgraph ${dotString(cluster)} {\n        label=${dotLabel(graph.flow)};\n`;
    out += body(graph, ids, "        ", options);
    out += "    }\n";
  }
  // The system map: cross-flow edges between the clusters (a node of its own for a step not drawn).
  const missing = new Map<string, string>();
  for (const { from, toFlow } of crossFlowEdges(sorted)) {
    let source = idsOf.get(from.flow)?.get(from.step);
    if (source === undefined) {
      source = missing.get(externalKey(from));
      if (source === undefined) {
        source = nodes.allocate(`${idPart(from.flow, "f_")}/${idPart(from.step, "n_")}`);
        missing.set(externalKey(from), source);
        out += `    ${dotString(source)} [label=${dotLabel(externalLabel(from))}, ${EXTERNAL_NODE}];\n`;
      }
    }
    out += `    ${dotString(source)} -> ${dotString(idsOf.get(toFlow)!.get(from.to)!)} [${CROSS_FLOW_EDGE}];\n`;
  }
  if (sorted.some((graph) => graph.nodes.some((node) => node.stats !== undefined))) {
    out += legend(options, clusters.allocate("cluster_legend"), (i) => nodes.allocate(`legend/${i}`), "    ");
  }
  return `${out}}\n`;
}
