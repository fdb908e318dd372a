// Every Mermaid and DOT diagram the specs produce goes through the real Mermaid parser and
// real Graphviz, and what they read back must be the flows that were drawn.
import { visibleText } from "../../lib/dag/text";
import { checkDiagrams, type CheckResult, type Diagram, type DotReadout, type MermaidReadout } from "../support/renderers";
import { corpus, type CorpusDiagram, type Expected } from "./corpus";

// What a reader sees: Mermaid trims labels, and unprintable characters are drawn as pictures.
const shown = (name: string): string => visibleText(name).trim();
const sorted = (items: Iterable<string>): string[] => [...items].sort();

function mermaidSees(readout: MermaidReadout, grouped: boolean): { nodes: string[]; edges: string[] } {
  const labels = new Map(readout.nodes.map((node) => [node.id, node.label.trim()]));
  const flowOf = new Map<string, string>();
  for (const subgraph of readout.subgraphs) for (const id of subgraph.nodes) flowOf.set(id, subgraph.title.trim());
  const where = (id: string): string => (grouped ? `${flowOf.get(id)}: ` : "");
  return {
    nodes: sorted(readout.nodes.map((node) => `${where(node.id)}${labels.get(node.id)}`)),
    edges: sorted(readout.edges.map((edge) => `${where(edge.from)}${labels.get(edge.from)} -> ${labels.get(edge.to)} (${edge.type})`)),
  };
}

function mermaidWants(expected: Expected): { nodes: string[]; edges: string[] } {
  const where = (flow: string): string => (expected.grouped ? `${shown(flow)}: ` : "");
  return {
    nodes: sorted(expected.flows.flatMap((flow) => flow.nodes.map((node) => `${where(flow.name)}${shown(node)}`))),
    edges: sorted(expected.flows.flatMap((flow) => flow.edges.map(([from, to]) => `${where(flow.name)}${shown(from)} -> ${shown(to)} (arrow_point)`))),
  };
}

const diagrams = corpus();
// Negative controls: the checks could not pass if the parsers accepted anything.
const CONTROLS: readonly Diagram[] = [
  { kind: "mermaid", text: "graph TD\n    a --> end\n" },
  { kind: "mermaid", text: 'graph TD\n    a[""] --> b\n' },
  { kind: "mermaid", text: "graph TD\n    click --> b\n" },
  { kind: "mermaid", text: "graph TD\n" },
  { kind: "dot", text: "digraph { a -> }" },
  { kind: "dot", text: 'digraph { "%x" -> b; "%x" -> c }' },
];
let results: CheckResult[];
let controls: CheckResult[];

// One child process for the whole file: loading the parsers costs about a second.
beforeAll(() => {
  const all = checkDiagrams([...diagrams, ...CONTROLS]);
  results = all.slice(0, diagrams.length);
  controls = all.slice(diagrams.length);
});

describe("the real Mermaid parser", () => {
  const mermaid = diagrams.map((diagram, i) => [diagram, i] as const).filter(([d]) => d.kind === "mermaid");

  test(`accepts all ${mermaid.length} Mermaid diagrams`, () => {
    const rejected = mermaid.filter(([, i]) => !results[i]!.ok).map(([d, i]) => `${d.title}: ${results[i]!.error}\n${d.text}`);
    expect(rejected).toEqual([]);
  });

  test.each(mermaid.map(([d, i]) => [d.title, d, i] as [string, CorpusDiagram, number]))("reads back every node, label and edge: %s", (_, diagram, i) => {
    const readout = results[i]!.graph as MermaidReadout;
    expect(mermaidSees(readout, diagram.expected.grouped)).toEqual(mermaidWants(diagram.expected));
    if (diagram.expected.grouped) {
      expect(sorted(readout.subgraphs.map((s) => s.title.trim()))).toEqual(sorted(diagram.expected.flows.map((f) => shown(f.name))));
    }
  });
});

describe("real Graphviz", () => {
  const dot = diagrams.map((diagram, i) => [diagram, i] as const).filter(([d]) => d.kind === "dot");

  test(`lays out all ${dot.length} DOT diagrams`, () => {
    const rejected = dot.filter(([, i]) => !results[i]!.ok).map(([d, i]) => `${d.title}: ${results[i]!.error}\n${d.text}`);
    expect(rejected).toEqual([]);
  });

  test.each(dot.map(([d, i]) => [d.title, d, i] as [string, CorpusDiagram, number]))("draws every node under its name, every edge and cluster: %s", (_, diagram, i) => {
    const readout = results[i]!.graph as DotReadout;
    // Graphviz keeps leading and trailing spaces (so labels compare untrimmed) and writes runs
    // of spaces with no-break spaces to keep them.
    const label = (name: string): string => visibleText(name);
    expect(sorted(readout.nodes.map((n) => n.label.replace(/\u00a0/g, " ")))).toEqual(sorted(diagram.expected.flows.flatMap((f) => f.nodes.map(label))));
    expect(readout.edges).toBe(diagram.expected.flows.reduce((sum, f) => sum + f.edges.length, 0));
    const clusters = diagram.expected.grouped ? diagram.expected.flows.map((f) => label(f.name)) : [];
    expect(sorted(readout.clusters.map((c) => c.label.replace(/\u00a0/g, " ")))).toEqual(sorted(clusters));
  });
});

describe("the checker itself", () => {
  test("rejects a node named end, and an empty label", () => {
    expect(controls[0]).toMatchObject({ ok: false, error: expect.stringContaining("Parse error") });
    expect(controls[1]).toMatchObject({ ok: false, error: expect.stringContaining("Parse error") });
  });

  test("shows that Mermaid silently misreads a bare click (why penstock quotes it)", () => {
    expect(controls[2]!.ok).toBe(true);
    expect((controls[2]!.graph as MermaidReadout).edges).toEqual([]);
  });

  test("accepts the empty diagram generateDag draws when nothing is registered", () => {
    expect(controls[3]).toMatchObject({ ok: true, graph: { nodes: [], edges: [], subgraphs: [] } });
  });

  test("rejects broken DOT, and shows Graphviz renames a node called %x (why penstock gives it an id)", () => {
    expect(controls[4]).toMatchObject({ ok: false, error: expect.stringContaining("syntax error") });
    expect((controls[5]!.graph as DotReadout).nodes.map((n) => n.label)).not.toContain("%x");
  });
});
