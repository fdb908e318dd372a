// Checks diagrams with the real Mermaid parser and real Graphviz. Both are ESM-only, so the
// jest specs (CommonJS) run this as a child process with one batch per spec file.
// stdin:  JSON [{ kind: "mermaid" | "dot", text }]
// stdout: JSON [{ ok, error?, ms, svgLength?, graph? }], where `graph` is what the parser read:
//   mermaid: { nodes: [{ id, label }], edges: [{ from, to, type, stroke, label }], subgraphs: [{ id, title, nodes }] }
//   dot:     { nodes: [{ title, label }], edges: number, edgeMarks: [{ label, stroke, dash }],
//              clusters: [{ title, label }] } (from the SVG)
import { JSDOM } from "jsdom";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

const { window } = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });

// Mermaid and its DOMPurify look for a browser when they are imported, so the DOM has to be
// on globalThis before the import, not after.
function installDom() {
  globalThis.window = window;
  globalThis.document = window.document;
  for (const key of ["Element", "HTMLElement", "SVGElement", "Node", "DOMParser", "XMLSerializer"]) {
    if (!(key in globalThis)) globalThis[key] = window[key];
  }
}

let mermaidPromise;
function loadMermaid() {
  mermaidPromise ??= (async () => {
    installDom();
    const { default: mermaid } = await import("mermaid");
    mermaid.initialize({ startOnLoad: false });
    return mermaid;
  })();
  return mermaidPromise;
}

let graphvizPromise;
function loadGraphviz() {
  graphvizPromise ??= import("@hpcc-js/wasm-graphviz").then(({ Graphviz }) => Graphviz.load());
  return graphvizPromise;
}

// What a browser shows for a Mermaid label: Mermaid's own entity markers turned back into
// `&...;` (its decodeEntities), then HTML entities decoded.
function shownText(text) {
  const html = String(text).replace(/ﬂ°°/g, "&#").replace(/ﬂ°/g, "&").replace(/¶ß/g, ";");
  const area = window.document.createElement("textarea");
  area.innerHTML = html;
  return area.value;
}

async function readMermaid(mermaid, text) {
  const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
  return {
    nodes: [...db.getVertices().values()].map((v) => ({ id: v.id, label: shownText(v.text ?? v.id) })),
    edges: db.getEdges().map((e) => ({ from: e.start, to: e.end, type: e.type, stroke: e.stroke, label: shownText(e.text ?? "") })),
    subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: shownText(s.title), nodes: [...s.nodes] })),
  };
}

function readSvg(svg) {
  // Parsing as XML also proves the SVG Graphviz wrote is well-formed.
  const doc = new window.DOMParser().parseFromString(svg, "image/svg+xml");
  const error = doc.querySelector("parsererror");
  if (error) throw new Error(`Graphviz wrote malformed SVG: ${error.textContent}`);
  const read = (selector) =>
    [...doc.querySelectorAll(selector)].map((g) => ({
      title: g.querySelector("title")?.textContent ?? "",
      label: [...g.querySelectorAll("text")].map((t) => t.textContent).join("\n"),
    }));
  // How each edge is drawn: its stroke colour and dash pattern (none for a solid line).
  const marks = [...doc.querySelectorAll("g.edge")].map((g) => {
    const path = g.querySelector("path");
    return {
      label: [...g.querySelectorAll("text")].map((t) => t.textContent).join("\n"),
      stroke: path?.getAttribute("stroke") ?? "",
      dash: path?.getAttribute("stroke-dasharray") ?? "",
    };
  });
  return { nodes: read("g.node"), edges: marks.length, edgeMarks: marks, clusters: read("g.cluster") };
}

function message(error) {
  return error instanceof Error ? error.message : String(error?.message ?? error?.str ?? error);
}

async function check({ kind, text }) {
  const started = performance.now();
  try {
    if (kind === "mermaid") {
      const mermaid = await loadMermaid();
      const result = await mermaid.parse(text, { suppressErrors: false });
      if (!result) throw new Error("mermaid.parse did not accept the diagram");
      const ms = performance.now() - started;
      return { ok: true, ms, graph: await readMermaid(mermaid, text) };
    }
    if (kind === "dot") {
      const graphviz = await loadGraphviz();
      const svg = graphviz.dot(text);
      const ms = performance.now() - started;
      return { ok: true, ms, svgLength: svg.length, graph: readSvg(svg) };
    }
    return { ok: false, error: `unknown kind ${JSON.stringify(kind)}`, ms: 0 };
  } catch (error) {
    return { ok: false, error: message(error), ms: performance.now() - started };
  }
}

const items = JSON.parse(await readStdin());
const results = [];
// One at a time: Mermaid's parser keeps module state between parses.
for (const item of items) results.push(await check(item));
process.stdout.write(JSON.stringify(results));
