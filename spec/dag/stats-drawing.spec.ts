// generateDag(flow, { stats }): the figures of flowStats drawn on the DAG, in every format,
// checked by the real Mermaid parser and real Graphviz; the default drawings stay as they were.
import { configure, entrypoint, flow, flowStats, generateDag, step, type FlowStats } from "../../lib";
import { recordingBackend, resetPenstock } from "../../lib/testing";
import { checkDiagrams, type DotReadout, type MermaidReadout } from "../support/renderers";
import { penstockErrorOf } from "../support/errors";

beforeEach(() => {
  resetPenstock();
  configure(recordingBackend());
});

/** A flow with fixed figures, so that drawings can be compared byte for byte. */
const FIGURES: FlowStats = {
  flow: "orders",
  since: "2026-12-01T12:00:00.000Z",
  flowCalls: 40,
  steps: [
    { step: "charge payment", kind: "step", calls: 38, errors: 2, durationMs: { p50: 10.2, p95: 14.8, p99: 19.9, max: 25, mean: 11 } },
    { step: "place_order", kind: "entrypoint", calls: 40, errors: 2, durationMs: { p50: 16, p95: 22.5, p99: 30.1, max: 41, mean: 17.2 } },
    { step: "validate", kind: "step", calls: 40, errors: 0, durationMs: { p50: 0.012, p95: 0.0301, p99: 0.05, max: 0.09, mean: 0.015 } },
  ],
  edges: [
    { from: "place_order", to: "validate", count: 40 },
    { from: "validate", to: "charge payment", count: 38 },
  ],
};

function orders(): void {
  const validate = step("validate", () => undefined, { flow: "orders", after: "place_order" });
  step("charge payment", () => undefined, { after: validate });
  entrypoint("place_order", () => undefined, { flow: "orders" });
}

describe("generateDag(flow, { stats })", () => {
  test("Mermaid: calls, p95 and error rate on each node, the count on each edge; unchanged without the option", () => {
    orders();
    const plain = generateDag("orders");
    expect(plain).toBe('graph TD\n    place_order --> validate\n    validate --> n_4558d5b7["charge payment"]\n');
    expect(generateDag("orders", { stats: FIGURES })).toBe(
      "graph TD\n" +
        '    place_order["place_order<br/>40 calls · p95 22.5 ms · 5#37; errors"] -->|40| validate["validate<br/>40 calls · p95 30.1 µs · 0#37; errors"]\n' +
        '    validate["validate<br/>40 calls · p95 30.1 µs · 0#37; errors"] -->|38| n_4558d5b7["charge payment<br/>38 calls · p95 14.8 ms · 5.3#37; errors"]\n',
    );
    expect(generateDag("orders", { stats: false })).toBe(plain);
  });

  test("DOT: labels, fill colours by p95 or by error rate, a legend; JSON and Markdown: the numbers", () => {
    orders();
    const dot = generateDag("orders", { stats: FIGURES, format: "dot" });
    expect(dot).toContain('    "place_order" [label="place_order\\n40 calls · p95 22.5 ms · 5% errors", style="rounded,bold,filled", peripheries=2, fillcolor="#fd8d3c"];\n');
    expect(dot).toContain('    "validate" [label="validate\\n40 calls · p95 30.1 µs · 0% errors", style="rounded,filled", fillcolor="#ffffb2"];\n');
    expect(dot).toContain('    "validate" -> "charge payment" [label="38"];\n');
    expect(dot).toContain('    subgraph "cluster_legend" {\n        label="p95";\n        "legend 0" [label="p95 < 1 ms", style="rounded,filled", fillcolor="#ffffb2"];\n');
    const byErrors = generateDag("orders", { stats: FIGURES, format: "dot", colorBy: "errorRate" });
    expect(byErrors).toContain('    "charge payment" [label="charge payment\\n38 calls · p95 14.8 ms · 5.3% errors", style="rounded,filled", fillcolor="#f03b20"];\n');
    expect(byErrors).toContain('label="error rate";');
    const [json] = JSON.parse(generateDag("orders", { stats: FIGURES, format: "json" })).flows;
    expect(json.stats).toEqual(FIGURES);
    expect(JSON.parse(generateDag("orders", { format: "json" })).flows[0]).not.toHaveProperty("stats");
    const markdown = generateDag("orders", { stats: FIGURES, format: "markdown" });
    expect(markdown).toContain("40 flow calls since 2026-12-01T12:00:00.000Z.\n\n| step | calls | errors | p50 | p95 | p99 | max | mean |\n");
    expect(markdown).toContain("| charge payment | 38 | 2 | 10.2 ms | 14.8 ms | 19.9 ms | 25 ms | 11 ms |\n");
  });

  test("stats: true draws this process's flowStats", () => {
    const validate = step("validate", () => undefined, { flow: "live", after: "go" });
    const go = entrypoint("go", () => validate(), { flow: "live" });
    go();
    go();
    expect(flowStats("live").steps.map((s) => s.calls)).toEqual([2, 2]);
    expect(generateDag("live", { stats: true })).toMatch(/^graph TD\n {4}go\["go<br\/>2 calls · p95 [0-9.]+ (µs|ms) · 0#37; errors"\] -->\|2\| validate\["validate<br\/>2 calls · p95 /);
  });

  test("every drawing with stats and observed is read back by Mermaid and Graphviz", () => {
    orders();
    const second = flow("end");
    second.entrypoint("start", () => undefined);
    const drawings = [
      { title: "mermaid one", kind: "mermaid" as const, text: generateDag("orders", { stats: FIGURES }) },
      { title: "mermaid all", kind: "mermaid" as const, text: generateDag(undefined, { stats: true, observed: true }) },
      { title: "dot one", kind: "dot" as const, text: generateDag("orders", { stats: FIGURES, format: "dot" }) },
      { title: "dot observed", kind: "dot" as const, text: generateDag("orders", { stats: true, observed: true, format: "dot" }) },
      { title: "dot all", kind: "dot" as const, text: generateDag(undefined, { stats: true, format: "dot", direction: "LR" }) },
    ];
    const results = checkDiagrams(drawings);
    results.forEach((result, i) => expect({ title: drawings[i]!.title, ok: result.ok, error: result.error }).toEqual({ title: drawings[i]!.title, ok: true, error: undefined }));
    const mermaid = results[0]!.graph as MermaidReadout;
    expect(mermaid.nodes.find((node) => node.id === "n_4558d5b7")?.label).toBe("charge payment<br>38 calls · p95 14.8 ms · 5.3% errors");
    expect(mermaid.edges.map((edge) => edge.label).sort()).toEqual(["38", "40"]);
    const dot = results[2]!.graph as DotReadout;
    expect(dot.clusters.map((cluster) => cluster.label)).toEqual(["p95"]);
    expect(dot.edgeMarks.map((mark) => mark.label).filter((label) => label !== "").sort()).toEqual(["38", "40"]);
  });

  test("a malformed stats object is INVALID_ARGUMENT naming the field", () => {
    orders();
    expect(penstockErrorOf(() => generateDag("orders", { stats: { ...FIGURES, flowCalls: -1 } }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringMatching(/^generateDag\(flow, options\)\.stats\.flowCalls: /),
    });
    const steps = [{ ...FIGURES.steps[0]!, durationMs: { p50: 1 } }];
    expect(penstockErrorOf(() => generateDag("orders", { stats: { ...FIGURES, steps } as never }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringMatching(/^generateDag\(flow, options\)\.stats\.steps\[0\]\.durationMs\.p95: /),
    });
    expect(penstockErrorOf(() => generateDag("orders", { stats: "yes" as never }))).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/^generateDag\(flow, options\)\.stats/) });
    expect(penstockErrorOf(() => generateDag("orders", { colorBy: "speed" as never }))).toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});
