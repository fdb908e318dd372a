// Mermaid flowcharts: the plain format for one flow, one subgraph per flow for all of them.
import { compareNames, type DagEdge, type DagNode, type FlowGraph } from "./graph";
import { edgeCaption, nodeCaption } from "./overlay";
import { createIdAllocator, fnv1a, singleFlowIds, type IdAllocator } from "./node-ids";
import type { DagDirection } from "./options";
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

/**
 * One flow in the plain format: `graph TD`, the edges `    a --> b` sorted, then the steps
 * without edges. Names Mermaid would misread become `n_<fnv1a>["label"]`.
 *
 * @example
 * mermaidFlow(flowGraph(registry.flow("orders")), { direction: "TD", decorate: false })
 * // "graph TD\n    receive --> validate\n"
 */
export function mermaidFlow(graph: FlowGraph, options: MermaidOptions): string {
  const ids = singleFlowIds(graph.nodes.map(({ name }) => name), isPlainMermaidId);
  return `graph ${options.direction}\n${body(graph, ids, "    ", options.decorate)}`;
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
  sorted.forEach((graph, i) => {
    const id = subgraphIds[i]!;
    out += `    subgraph ${id} ["${mermaidLabel(graph.flow)}"]\n`;
    out += body(graph, flowIds(graph, id, allocator), "        ", options.decorate);
    out += "    end\n";
  });
  return out;
}
