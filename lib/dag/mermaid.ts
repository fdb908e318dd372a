// Mermaid flowcharts: the plain format for one flow, one subgraph per flow for all of them.
import { compareNames, type DagEdge, type DagNode, type FlowGraph } from "./graph";
import { edgeCaption, nodeCaption } from "./overlay";
import { createIdAllocator, fnv1a, singleFlowIds, type IdAllocator } from "./node-ids";
import type { DagDirection } from "./options";
import { crossFlowEdges, externalKey, externalLabel, externalSources } from "./marks";
import { visibleText } from "./text";

/** How a Mermaid drawing is laid out and decorated. */
export interface MermaidOptions {
  readonly direction: DagDirection;
  /** Draw entrypoints as stadiums. Off by default in the plain format. */
  readonly decorate: boolean;
}

// Words the flowchart lexer reads as syntax (checked against Mermaid 11's grammar; `click`
// as a source is even accepted and silently misread). The lexer is case-sensitive today, but
// matching case-insensitively costs nothing and survives a grammar change.
const KEYWORDS = new Set(
  [
    "end", "graph", "flowchart", "subgraph", "click", "style", "classDef", "class", "linkStyle",
    "direction", "call", "href", "callback", "default", "interpolate", "TB", "TD", "BT", "RL",
    "LR", "BR", "v", "_self", "_blank", "_parent", "_top", "accTitle", "accDescr",
  ].map((word) => word.toLowerCase()),
);

const PLAIN_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;
const WORD = /^[A-Za-z0-9_]+$/;

// Mermaid decodes `#name;` and `#123;` entity codes in labels. Besides the HTML specials:
// `` ` `` would open a markdown string, `%%{` starts a directive that Mermaid strips even
// inside quotes, `:` would let Mermaid's `style...:...#...;` pre-pass eat the `;` of an
// entity code, and U+FB02 / U+00B6 are the markers of its own internal entity encoding.
const LABEL_ESCAPES: Readonly<Record<string, string>> = {
  '"': "#quot;",
  "#": "#35;",
  "&": "#amp;",
  "<": "#lt;",
  ">": "#gt;",
  "`": "#96;",
  "%": "#37;",
  ":": "#58;",
  "\ufb02": "#64258;",
  "\u00b6": "#182;",
};
const LABEL_SPECIAL = /["#&<>`%:\ufb02\u00b6]/g;
// The lexer matches `direction TB` (and BT, RL, LR, TD) anywhere on a line, quotes or not: the
// space after the word is written as an entity code so that the pattern cannot match.
const DIRECTION_SPACE = /(direction)(\s)/gi;

/**
 * True when `name` can be written bare as a Mermaid node id: a plain identifier that is not
 * one of Mermaid's keywords.
 *
 * @example
 * isPlainMermaidId("load_user") // true
 * isPlainMermaidId("end")       // false
 */
export function isPlainMermaidId(name: string): boolean {
  return PLAIN_ID.test(name) && !KEYWORDS.has(name.toLowerCase());
}

/**
 * `name` as the text of a quoted Mermaid label, using Mermaid's entity codes.
 *
 * @example
 * mermaidLabel('say "hi" <b>') // "say #quot;hi#quot; #lt;b#gt;"
 */
export function mermaidLabel(name: string): string {
  // Mermaid rejects an empty label, and trims labels anyway: one space draws the same nothing.
  if (name === "") return " ";
  return visibleText(name)
    .replace(LABEL_SPECIAL, (char) => LABEL_ESCAPES[char]!)
    .replace(DIRECTION_SPACE, (_, word: string, space: string) => `${word}#${space.codePointAt(0)};`);
}

function nodeText(id: string, node: DagNode, stadium: boolean): string {
  const { name } = node;
  // What ran (lib/dag/overlay.ts): more lines under the name, only in drawings that ask for it.
  const extra = (node.stats === undefined ? "" : `<br/>${mermaidLabel(nodeCaption(node.stats))}`) + (node.drift === undefined ? "" : "<br/>unpreceded");
  if (!stadium && id === name && extra === "") return id;
  const label = `"${mermaidLabel(name)}${extra}"`;
  return stadium ? `${id}([${label}])` : `${id}[${label}]`;
}

// Only drawings with `observed` have marked edges: a dotted arrow for a call along no declared
// path, a crossed-out one for a declaration never seen running in order, a thick one for a declaration seen the other way round; `stats` adds the count.
const DRIFT_ARROWS: Readonly<Record<NonNullable<DagEdge["drift"]>, string>> = {
  undeclared: "-.->",
  unexercised: "--x",
  outOfOrder: "==>",
};

function arrow(edge: DagEdge): string {
  const caption = edgeCaption(edge);
  const line = edge.drift === undefined ? "-->" : DRIFT_ARROWS[edge.drift];
  return caption === undefined ? line : `${line}|${caption}|`;
}

// Edges sorted by name, then every node without an edge: the plain layout. `ids` (name to
// node id) is turned into name to node text in place, and which nodes have an edge is found
// by walking the sorted nodes alongside the sorted edges, rather than with a new Map and Set
// of every name: on a 10,000-step flow each is a large hash table, grown by doubling.
function body(graph: FlowGraph, ids: Map<string, string>, indent: string, decorate: boolean): string {
  const texts = ids;
  for (const node of graph.nodes) {
    texts.set(node.name, nodeText(ids.get(node.name)!, node, decorate && node.kind === "entrypoint"));
  }
  let out = "";
  for (const edge of graph.edges) {
    out += `${indent}${texts.get(edge.from)!} ${arrow(edge)} ${texts.get(edge.to)!}\n`;
  }
  // A node is in an edge when it is some edge's target (its `after` is not empty: every name
  // there is a node and an edge; with drift, any edge's) or source (found in `edges`, sorted
  // by source as the nodes are by name).
  const targets = graph.edges.some((edge) => edge.drift !== undefined) ? new Set(graph.edges.map((edge) => edge.to)) : undefined;
  let next = 0;
  for (const node of graph.nodes) {
    while (next < graph.edges.length && graph.edges[next]!.from < node.name) next++;
    const source = next < graph.edges.length && graph.edges[next]!.from === node.name;
    const target = targets === undefined ? node.after.length > 0 : targets.has(node.name);
    if (!source && !target) out += `${indent}${texts.get(node.name)!}\n`;
  }
  return out;
}

// A cross-flow edge is dotted: the hop (a queue, a call) is not a call within the flow.
const CROSS_FLOW_ARROW = "-.->";

// Decorated drawings give unknown and external nodes a class (dashed and dotted borders).
const CLASS_DEFS: Readonly<Record<"unknown" | "external", string>> = {
  unknown: "stroke-dasharray: 5 5",
  external: "stroke-dasharray: 2 2",
};

function classLines(indent: string, members: Readonly<Record<"unknown" | "external", readonly string[]>>): string {
  let out = "";
  for (const kind of ["unknown", "external"] as const) {
    if (members[kind].length === 0) continue;
    out += `${indent}classDef ${kind} ${CLASS_DEFS[kind]}\n${indent}class ${members[kind].join(",")} ${kind}\n`;
  }
  return out;
}

/** An id for another flow's step that no node of the drawing has. */
function freeId(candidate: string, taken: Set<string>): string {
  let id = candidate;
  for (let n = 2; taken.has(id); n++) id = `${candidate}_${n}`;
  taken.add(id);
  return id;
}

// One flow's cross-flow edges, each from a node for the other flow's step.
function externalBody(graph: FlowGraph, ids: ReadonlyMap<string, string>, indent: string): { text: string; externalIds: string[] } {
  const sources = externalSources(graph);
  if (sources.length === 0) return { text: "", externalIds: [] };
  const taken = new Set(ids.values());
  const sourceIds = new Map(sources.map((ref) => [externalKey(ref), freeId(`x_${fnv1a(externalKey(ref))}`, taken)] as const));
  let text = "";
  for (const edge of graph.external!) {
    text += `${indent}${sourceIds.get(externalKey(edge))!}["${mermaidLabel(externalLabel(edge))}"] ${CROSS_FLOW_ARROW} ${ids.get(edge.to)!}\n`;
  }
  return { text, externalIds: [...sourceIds.values()] };
}

const unknownIds = (graph: FlowGraph, ids: ReadonlyMap<string, string>): string[] =>
  graph.nodes.filter((node) => node.kind === "unknown").map((node) => ids.get(node.name)!);

/**
 * One flow in the plain format: `graph TD`, the edges `    a --> b` sorted, then the steps
 * without edges. Names Mermaid would misread become `n_<fnv1a>["label"]`. Steps of other
 * flows that start this one are drawn as nodes of their own, `x_<fnv1a>["step (flow)"]`, with
 * a dotted arrow; decorated, unknown and external nodes get a class.
 *
 * @example
 * mermaidFlow(flowGraph(registry.flow("orders")), { direction: "TD", decorate: false })
 * // "graph TD\n    receive --> validate\n"
 */
export function mermaidFlow(graph: FlowGraph, options: MermaidOptions): string {
  const ids = singleFlowIds(graph.nodes.map(({ name }) => name), isPlainMermaidId);
  const plainIds = new Map(ids);
  const drawn = body(graph, ids, "    ", options.decorate);
  const external = externalBody(graph, plainIds, "    ");
  const classes = options.decorate ? classLines("    ", { unknown: unknownIds(graph, plainIds), external: external.externalIds }) : "";
  return `graph ${options.direction}\n${drawn}${external.text}${classes}`;
}

function flowIds(graph: FlowGraph, prefix: string, allocator: IdAllocator): Map<string, string> {
  const ids = new Map<string, string>();
  for (const { name } of graph.nodes) {
    ids.set(name, allocator.allocate(`${prefix}__${WORD.test(name) ? name : `n_${fnv1a(name)}`}`));
  }
  return ids;
}

/**
 * Every flow, one `subgraph` each. Node ids are prefixed with their flow's id, so a step name
 * used in two flows is two nodes; every node carries its name as a label.
 *
 * @example
 * mermaidFlows(names.map((n) => flowGraph(registry.flow(n))), { direction: "TD", decorate: false })
 */
export function mermaidFlows(graphs: readonly FlowGraph[], options: MermaidOptions): string {
  const sorted = [...graphs].sort((a, b) => compareNames(a.flow, b.flow));
  const allocator = createIdAllocator();
  const subgraphIds = sorted.map((graph) => allocator.allocate(isPlainMermaidId(graph.flow) ? graph.flow : `f_${fnv1a(graph.flow)}`));
  let out = `graph ${options.direction}\n`;
  const idsOf = new Map<string, ReadonlyMap<string, string>>();
  const unknown: string[] = [];
  sorted.forEach((graph, i) => {
    const id = subgraphIds[i]!;
    const ids = flowIds(graph, id, allocator);
    idsOf.set(graph.flow, new Map(ids));
    unknown.push(...unknownIds(graph, ids));
    out += `    subgraph ${id} ["${mermaidLabel(graph.flow)}"]\n`;
    out += body(graph, ids, "        ", options.decorate);
    out += "    end\n";
  });
  // The system map: cross-flow edges between the subgraphs, from a node of its own when the
  // other flow's step is not drawn.
  const missing = new Map<string, string>();
  const external: string[] = [];
  for (const { from, toFlow } of crossFlowEdges(sorted)) {
    let source = idsOf.get(from.flow)?.get(from.step);
    if (source === undefined) {
      const key = externalKey(from);
      const known = missing.get(key);
      if (known === undefined) {
        const id = allocator.allocate(`x_${fnv1a(key)}`);
        missing.set(key, id);
        external.push(id);
        source = `${id}["${mermaidLabel(externalLabel(from))}"]`;
      } else {
        source = known;
      }
    }
    out += `    ${source} ${CROSS_FLOW_ARROW} ${idsOf.get(toFlow)!.get(from.to)!}\n`;
  }
  if (options.decorate) out += classLines("    ", { unknown, external });
  return out;
}
