// A flow's drawing as SVG without Graphviz: a layered layout (longest path from the roots, then
// a few barycentre sweeps to untangle each layer), for flowReport(), which must answer
// synchronously while Graphviz's WebAssembly only loads asynchronously. Its nodes and edges have
// the structure Graphviz writes (<g class="node"><title>id</title>...), so the page treats both alike.
import type { DagEdge, DagNode } from "../dag/graph";
import { externalKey, externalLabel, externalSources } from "../dag/marks";
import { edgeCaption, legendEntries, nodeCaption, nodeColour } from "../dag/overlay";
import { visibleText } from "../dag/text";
import type { FlowDrawing } from "./drawing";
import { escapeMarkup } from "./escape";

// Helvetica at 12px averages under 7px a character; a longer name is cut in the drawing only.
const CHAR_WIDTH = 7;
const LINE_HEIGHT = 15;
const PAD = 10;
const ROW_GAP = 50;
const COLUMN_GAP = 24;
const MAX_LABEL = 48;
const SWEEPS = 4;

interface Box {
  readonly key: string;
  /** The node's id as DOT writes it: the page maps it back to the step. */
  readonly id: string;
  readonly lines: readonly string[];
  readonly node: DagNode | undefined;
  readonly width: number;
  readonly height: number;
  layer: number;
  x: number;
  y: number;
}

interface Link {
  readonly from: string;
  readonly to: string;
  readonly edge: DagEdge | undefined;
}

function label(text: string): string {
  const chars = Array.from(visibleText(text));
  return chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join("")}…` : chars.join("");
}

function box(key: string, id: string, lines: string[], node: DagNode | undefined): Box {
  const width = Math.max(60, Math.max(...lines.map((line) => Array.from(line).length)) * CHAR_WIDTH + 2 * PAD);
  return { key, id, lines, node, width, height: lines.length * LINE_HEIGHT + PAD, layer: 0, x: 0, y: 0 };
}

/** Edges that close a cycle (an undeclared call back up the flow), found by an iterative DFS. */
function backLinks(keys: readonly string[], links: readonly Link[]): Set<Link> {
  const out = grouped(links, "from");
  const state = new Map<string, "open" | "done">();
  const back = new Set<Link>();
  for (const root of keys) {
    if (state.has(root)) continue;
    state.set(root, "open");
    const stack: [string, number][] = [[root, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = out.get(top[0])?.[top[1]++];
      if (next === undefined) {
        state.set(top[0], "done");
        stack.pop();
      } else if (state.get(next.to) === "open") back.add(next);
      else if (!state.has(next.to)) {
        state.set(next.to, "open");
        stack.push([next.to, 0]);
      }
    }
  }
  return back;
}

function grouped(links: readonly Link[], by: "from" | "to"): Map<string, Link[]> {
  const map = new Map<string, Link[]>();
  for (const link of links) (map.get(link[by]) ?? map.set(link[by], []).get(link[by])!).push(link);
  return map;
}

function layers(boxes: Map<string, Box>, links: readonly Link[]): Box[][] {
  const back = backLinks([...boxes.keys()], links);
  const forward = links.filter((link) => !back.has(link) && link.from !== link.to);
  const outgoing = grouped(forward, "from");
  const incoming = grouped(forward, "to");
  const indegree = new Map([...boxes.keys()].map((key) => [key, incoming.get(key)?.length ?? 0]));
  const queue = [...boxes.keys()].filter((key) => indegree.get(key) === 0);
  for (let at = 0; at < queue.length; at++) {
    const from = boxes.get(queue[at]!)!;
    for (const link of outgoing.get(from.key) ?? []) {
      const to = boxes.get(link.to)!;
      to.layer = Math.max(to.layer, from.layer + 1);
      indegree.set(link.to, indegree.get(link.to)! - 1);
      if (indegree.get(link.to) === 0) queue.push(link.to);
    }
  }
  const sparse: Box[][] = [];
  for (const item of boxes.values()) (sparse[item.layer] ??= []).push(item);
  const rows = sparse.filter((row) => row !== undefined);
  // Barycentre sweeps, down then up: each node moves towards the mean position of its neighbours.
  const position = new Map<string, number>();
  const place = (): void => rows.forEach((row) => row.forEach((item, i) => position.set(item.key, i)));
  place();
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    for (const row of down ? rows : [...rows].reverse()) {
      const weights = new Map<string, number>();
      for (const item of row) {
        const near = (down ? incoming.get(item.key) : outgoing.get(item.key)) ?? [];
        const sum = near.reduce((total, link) => total + position.get(down ? link.from : link.to)!, 0);
        weights.set(item.key, near.length === 0 ? position.get(item.key)! : sum / near.length);
      }
      row.sort((a, b) => weights.get(a.key)! - weights.get(b.key)!);
      row.forEach((item, i) => position.set(item.key, i));
    }
  }
  return rows;
}

const EDGE_STYLE: Readonly<Record<NonNullable<DagEdge["drift"]> | "plain" | "external", string>> = {
  plain: 'stroke="#333"',
  external: 'stroke="#333" stroke-dasharray="5 3"',
  undeclared: 'stroke="red" stroke-dasharray="5 3"',
  unexercised: 'stroke="gray" stroke-dasharray="1 3"',
  outOfOrder: 'stroke="darkorange" stroke-width="2.5"',
};

function nodeSvg(item: Box, index: number, prefix: string): string {
  const node = item.node;
  const fill = node?.stats === undefined ? "white" : nodeColour(node.stats, "p95");
  const dash = node === undefined ? ' stroke-dasharray="1 3"' : node.kind === "unknown" ? ' stroke-dasharray="4 3"' : "";
  const stroke = node?.drift === "unpreceded" ? 'stroke="red" stroke-width="2"' : `stroke="#333" stroke-width="${node?.kind === "entrypoint" ? 2 : 1}"`;
  let out = `<g id="${prefix}-node${index + 1}" class="node"><title>${escapeMarkup(item.id)}</title>`;
  out += `<rect x="${item.x}" y="${item.y}" width="${item.width}" height="${item.height}" rx="6" fill="${fill}" ${stroke}${dash}/>`;
  if (node?.kind === "entrypoint") out += `<rect x="${item.x + 3}" y="${item.y + 3}" width="${item.width - 6}" height="${item.height - 6}" rx="4" fill="none" stroke="#333"/>`;
  item.lines.forEach((line, i) => {
    const colour = node?.drift === "unpreceded" && i === item.lines.length - 1 ? ' fill="red"' : "";
    out += `<text x="${item.x + item.width / 2}" y="${item.y + PAD / 2 + LINE_HEIGHT * (i + 0.75)}" text-anchor="middle"${colour}>${escapeMarkup(line)}</text>`;
  });
  return `${out}</g>`;
}

/** How far right of the straight line an edge over several layers must bend to pass the boxes between. */
function detour(from: Box, to: Box, rows: readonly Box[][]): number {
  const sx = from.x + from.width / 2;
  const tx = to.x + to.width / 2;
  let right = 0;
  for (let layer = from.layer + 1; layer < to.layer; layer++) {
    for (const item of rows[layer] ?? []) {
      const line = sx + ((tx - sx) * (layer - from.layer)) / (to.layer - from.layer);
      if (item.x - 8 < line && line < item.x + item.width + 8) right = Math.max(right, item.x + item.width + 16 - line);
    }
  }
  // A cubic Bézier reaches three quarters of its control points' offset.
  return right / 0.75;
}

function edgeSvg(link: Link, from: Box, to: Box, title: string, rows: readonly Box[][]): string {
  const style = EDGE_STYLE[link.edge === undefined ? "external" : link.edge.drift ?? "plain"];
  const sx = from.x + from.width / 2;
  const tx = to.x + to.width / 2;
  let path: string;
  let head: string;
  let mid: [number, number];
  if (link.from === link.to) {
    const x = from.x + from.width;
    const y = from.y + from.height / 2;
    path = `M${x},${y - 6} C${x + 30},${y - 20} ${x + 30},${y + 20} ${x + 6},${y + 8}`;
    head = `${x},${y + 6} ${x + 9},${y + 4} ${x + 6},${y + 12}`;
    mid = [x + 26, y];
  } else if (to.layer > from.layer) {
    const sy = from.y + from.height;
    const ty = to.y - 8;
    const bend = (ty - sy) / 2;
    const side = detour(from, to, rows);
    path = `M${sx},${sy} C${sx + side},${sy + bend} ${tx + side},${ty - bend} ${tx},${ty}`;
    head = `${tx - 4},${ty} ${tx + 4},${ty} ${tx},${ty + 8}`;
    mid = [(sx + tx) / 2 + side * 0.75, (sy + ty) / 2];
  } else {
    // Up the flow (a call against the drawn order): from the top of `from` to the bottom of `to`.
    const sy = from.y;
    const ty = to.y + to.height + 8;
    path = `M${sx},${sy} C${sx + 40},${sy - 30} ${tx + 40},${ty + 30} ${tx},${ty}`;
    head = `${tx - 4},${ty} ${tx + 4},${ty} ${tx},${ty - 8}`;
    mid = [(sx + tx) / 2 + 30, (sy + ty) / 2];
  }
  const caption = link.edge === undefined ? undefined : edgeCaption(link.edge);
  const colour = /stroke="([^"]+)"/.exec(style)![1];
  let out = `<g class="edge"><title>${escapeMarkup(title)}</title><path d="${path}" fill="none" ${style}/><polygon points="${head}" fill="${colour}" stroke="${colour}"/>`;
  if (caption !== undefined) out += `<text x="${mid[0] + 6}" y="${mid[1]}" font-size="10" fill="${colour}">${escapeMarkup(caption)}</text>`;
  return `${out}</g>`;
}

/**
 * The drawing as an `<svg>` element. Node and edge titles are the DOT ids of `drawing.ids`
 * (`from->to` for an edge), as in Graphviz's SVG; ids of elements start with `prefix`.
 */
export function layoutSvg(drawing: FlowDrawing, prefix: string): string {
  const { graph, ids } = drawing;
  const boxes = new Map<string, Box>();
  for (const node of graph.nodes) {
    const lines = [label(node.name)];
    if (node.stats !== undefined) lines.push(nodeCaption(node.stats));
    if (node.drift === "unpreceded") lines.push("unpreceded");
    boxes.set(JSON.stringify(node.name), box(JSON.stringify(node.name), ids.get(node.name)!, lines, node));
  }
  for (const ref of externalSources(graph)) {
    const text = externalLabel(ref);
    boxes.set(externalKey(ref), box(externalKey(ref), text, [label(text)], undefined));
  }
  const links: Link[] = graph.edges.map((edge) => ({ from: JSON.stringify(edge.from), to: JSON.stringify(edge.to), edge }));
  for (const edge of graph.external ?? []) links.push({ from: externalKey(edge), to: JSON.stringify(edge.to), edge: undefined });

  const rows = layers(boxes, links);
  const rowWidth = (row: Box[]): number => row.reduce((sum, item) => sum + item.width, 0) + COLUMN_GAP * (row.length - 1);
  const withStats = graph.nodes.some((node) => node.stats !== undefined);
  const legend = legendEntries("p95").map((entry) => ({ ...entry, width: Array.from(entry.label).length * 6 + 16 }));
  const legendWidth = withStats ? legend.reduce((sum, entry) => sum + entry.width + 6, 0) : 0;
  const width = Math.max(...rows.map(rowWidth), legendWidth, 0) + 2 * COLUMN_GAP;
  let y = 12;
  for (const row of rows) {
    let x = (width - rowWidth(row)) / 2;
    const height = Math.max(...row.map((item) => item.height));
    for (const item of row) {
      item.x = x;
      item.y = y + (height - item.height) / 2;
      x += item.width + COLUMN_GAP;
    }
    y += height + ROW_GAP;
  }
  let body = "";
  [...boxes.values()].forEach((item, i) => (body += nodeSvg(item, i, prefix)));
  for (const link of links) {
    const from = boxes.get(link.from)!;
    const to = boxes.get(link.to)!;
    body += edgeSvg(link, from, to, `${from.id}->${to.id}`, rows);
  }
  if (withStats) {
    let x = COLUMN_GAP;
    body += '<g class="legend">';
    for (const entry of legend) {
      const w = entry.width;
      body += `<rect x="${x}" y="${y - ROW_GAP + 16}" width="${w}" height="18" rx="4" fill="${entry.colour}" stroke="#333"/><text x="${x + w / 2}" y="${y - ROW_GAP + 29}" text-anchor="middle" font-size="10">${escapeMarkup(entry.label)}</text>`;
      x += w + 6;
    }
    body += "</g>";
    y += 20;
  }
  const height = y - ROW_GAP + 24;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica,Arial,sans-serif" font-size="12"><g id="${prefix}-graph0" class="graph"><title>${escapeMarkup(visibleText(graph.flow))}</title>${body}</g></svg>`;
}
