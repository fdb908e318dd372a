// Drift through the public API: calls seen at run time against the `after` declarations,
// diffDag's report, and the observed drawings, checked by the real Mermaid and Graphviz.
import { configure, diffDag, entrypoint, flow, generateDag, getRegistry, runInFlow, step, type DagDiff } from "../../lib";
import { clearObservations, recordingBackend, resetPenstock } from "../../lib/testing";
import { visibleText } from "../../lib/dag/text";
import { checkDiagrams, type CheckResult, type DotReadout, type MermaidReadout } from "../support/renderers";
import { penstockErrorOf } from "../support/errors";
import { HOSTILE_NAMES } from "./corpus";

const noop = (): void => undefined;
const edges = (...pairs: [string, string][]): { from: string; to: string }[] => pairs.map(([from, to]) => ({ from, to }));

beforeEach(() => {
  resetPenstock();
  configure(recordingBackend());
});

/**
 * checkout declares receive -> validate -> charge -> receipt, but its code has receive call
 * validate and charge itself, charge call audit (declared nowhere), and never send a receipt.
 */
/** swap declares go -> first -> second, but go calls second before first. */
function swapped(): void {
  const swap = flow("swap");
  const second = swap.step("second", noop, { after: "first" });
  const first = swap.step("first", noop, { after: "go" });
  swap.entrypoint("go", () => {
    second();
    first();
  })();
}

function checkout(): { receive: () => void } {
  const shop = flow("checkout");
  const audit = shop.step("audit", noop);
  const charge = shop.step("charge", () => audit(), { after: "validate" });
  shop.step("receipt", noop, { after: charge });
  const validate = shop.step("validate", noop, { after: "receive" });
  const receive = shop.entrypoint("receive", () => {
    validate();
    charge();
  });
  return { receive };
}

describe("diffDag (the order cases are in spec/observations/conformance.spec.ts)", () => {
  test("checkout: a call along no declared path is undeclared, a declared edge never run in order unexercised", () => {
    const { receive } = checkout();
    receive();
    expect(diffDag("checkout")).toEqual<DagDiff>({
      undeclared: [{ from: "charge", to: "audit", count: 1, example: expect.any(String) }],
      unexercised: [{ from: "charge", to: "receipt", count: 0 }],
      outOfOrder: [],
      unpreceded: [],
    });
  });

  test("the caller is the step awaiting, across await, timers and promise chains", async () => {
    const jobs = flow("jobs");
    const later = jobs.step("later", async () => undefined);
    const chained = jobs.step("chained", async () => undefined);
    const first = jobs.step("first", async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await later();
    });
    const start = jobs.entrypoint("start", async () => {
      await first();
      await Promise.resolve().then(() => chained());
    });
    await start();
    expect(diffDag("jobs").undeclared.map(({ from, to }) => ({ from, to }))).toEqual(edges(["first", "later"], ["start", "chained"], ["start", "first"]));
  });

  test("one entry per distinct edge, counting every call", () => {
    const { receive } = checkout();
    for (let i = 0; i < 1000; i++) receive();
    expect(diffDag("checkout").undeclared).toEqual([{ from: "charge", to: "audit", count: 1000, example: expect.any(String) }]);
  });

  test("a step called in turn from several callers counts each edge, from a runInFlow in a step too; a caller of another flow is no edge", () => {
    const shared = flow("shared");
    const leaf = shared.step("leaf", noop);
    const left = shared.step("left", () => leaf());
    const right = shared.step("right", () => leaf());
    const inside = shared.step("inside", () => runInFlow({}, () => leaf()));
    // Another flow's step of the same name as one of shared's: its calls of leaf are not shared's edges.
    const other = flow("other").step("left", () => leaf());
    shared.entrypoint("go", () => {
      for (let i = 0; i < 3; i++) {
        left();
        right();
        other();
        inside();
        leaf();
      }
    })();
    const counts = Object.fromEntries(diffDag("shared").undeclared.filter((edge) => edge.to === "leaf").map((edge) => [edge.from, edge.count]));
    expect(counts).toEqual({ left: 3, right: 3, inside: 3, go: 3 });
    expect(diffDag("other").undeclared).toEqual([]);
  });

  test("clearObservations forgets what ran, keeps the registrations, and wrappers made before it keep recording", () => {
    const { receive } = checkout();
    receive();
    clearObservations();
    expect(diffDag("checkout").undeclared).toEqual([]);
    expect(getRegistry().flow("checkout").entrypoints).toEqual(["receive"]);
    receive();
    expect(diffDag("checkout").undeclared).toHaveLength(1);
  });

  test("resetPenstock forgets observations too", () => {
    checkout().receive();
    resetPenstock();
    checkout();
    expect(diffDag("checkout").undeclared).toEqual([]);
  });

  test("bad input: INVALID_ARGUMENT naming the argument; an unknown flow is UNKNOWN_FLOW", () => {
    expect(penstockErrorOf(() => diffDag(42 as never))).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/^diffDag\(flow\): /) });
    expect(penstockErrorOf(() => diffDag("x", { flows: {} } as never))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringMatching(/^diffDag\(flow, registry\): expected a registry/),
    });
    expect(penstockErrorOf(() => diffDag("nope"))).toMatchObject({ code: "UNKNOWN_FLOW", message: expect.stringContaining('"nope"') });
  });
});

describe("generateDag(flow, { observed: true })", () => {
  test("Mermaid: undeclared calls dotted, declarations never seen crossed out, out of order thick, unpreceded steps noted", () => {
    checkout().receive();
    expect(generateDag("checkout", { observed: true })).toBe(
      "graph TD\n" +
        "    charge -.->|undeclared| audit\n" +
        "    charge --x|unexercised| receipt\n" +
        "    receive --> validate\n" +
        "    validate --> charge\n",
    );
    swapped();
    expect(generateDag("swap", { observed: true })).toBe(
      'graph TD\n    first ==>|out of order| second["second<br/>unpreceded"]\n    go --> first\n',
    );
    // The option only adds marks: without it the drawing is the declared one, as always.
    expect(generateDag("checkout")).toBe(
      "graph TD\n    charge --> receipt\n    receive --> validate\n    validate --> charge\n    audit\n",
    );
  });

  test("DOT: undeclared edges dashed red, unexercised ones dotted grey, each labelled", () => {
    checkout().receive();
    const dot = generateDag("checkout", { observed: true, format: "dot" });
    expect(dot).toContain('    "charge" -> "audit" [style=dashed, color=red, fontcolor=red, label="undeclared"];\n');
    expect(dot).toContain('    "charge" -> "receipt" [style=dotted, color=gray50, fontcolor=gray50, label="unexercised"];\n');
    expect(dot).toContain('    "receive" -> "validate";\n');
    swapped();
    const swap = generateDag("swap", { observed: true, format: "dot" });
    expect(swap).toContain('    "first" -> "second" [style=bold, color=darkorange, fontcolor=darkorange, label="out of order"];\n');
    expect(swap).toContain('    "second" [color=red, penwidth=2, xlabel="unpreceded"];\n');
  });

  test("JSON: `edges` stays the declared edges, `drift` is diffDag's report; without the option there is no `drift`", () => {
    checkout().receive();
    const [observed] = JSON.parse(generateDag("checkout", { observed: true, format: "json" })).flows;
    expect(observed.edges).toEqual(JSON.parse(generateDag("checkout", { format: "json" })).flows[0].edges);
    expect(observed.drift).toEqual(diffDag("checkout"));
    expect(JSON.parse(generateDag("checkout", { format: "json" })).flows[0]).not.toHaveProperty("drift");
  });

  test("Markdown blocks carry the marks", () => {
    checkout().receive();
    expect(generateDag(undefined, { observed: true, format: "markdown" })).toContain('    charge -.->|undeclared| audit\n');
  });

  test("a call to a step no longer registered (a registry cleared under old wrappers) is drawn as an unknown node", () => {
    const oldAudit = step("old audit", noop, { flow: "checkout" });
    resetPenstock();
    configure(recordingBackend());
    entrypoint("receive", () => oldAudit(), { flow: "checkout" })();
    expect(generateDag("checkout", { observed: true })).toMatch(/^graph TD\n {4}receive -\.->\|undeclared\| n_[0-9a-f]{8}\["old audit"\]\n$/);
    expect(generateDag("checkout", { observed: true, format: "dot" })).toContain('    "old audit" [style="rounded,dashed"];\n');
  });

  test("observed must be a boolean", () => {
    expect(penstockErrorOf(() => generateDag(undefined, { observed: "yes" as never }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringMatching(/^generateDag\(flow, options\)\.observed: /),
    });
  });
});

describe("observed drawings of hostile names, through the real Mermaid parser and real Graphviz", () => {
  // Every hostile name (but the empty one, which cannot name a step) in a declared chain;
  // the entrypoint calls every third step itself, each even step calls the next (the declared
  // edge, exercised), and every third step but the first calls the one before it (undeclared,
  // and out of order); the steps the entrypoint skips to are unpreceded; the rest is never seen.
  const NAMES = HOSTILE_NAMES.filter((name) => name !== "");
  // Two flows, one of them named like a Mermaid keyword, for the one-subgraph-per-flow drawings.
  const FLOWS = ["hostile", "end"];
  type Mark = "declared" | "undeclared" | "unexercised" | "outOfOrder";
  const drawings: { title: string; kind: "mermaid" | "dot"; text: string; flow: string | undefined }[] = [];
  const diffs = new Map<string, DagDiff>();
  let results: CheckResult[];

  beforeAll(() => {
    resetPenstock();
    configure(recordingBackend());
    for (const name of FLOWS) {
      const f = flow(name);
      const wrapped: ((depth: number) => void)[] = [];
      NAMES.forEach((step, i) => {
        wrapped.push(
          f.step(
            step,
            (depth: number) => {
              if (depth !== 0) return;
              if (i % 3 === 0 && i > 0) wrapped[i - 1]!(1);
              if (i % 2 === 0) wrapped[i + 1]?.(1);
            },
            { after: i === 0 ? "entry" : NAMES[i - 1]! },
          ),
        );
      });
      f.entrypoint("entry", () => wrapped.forEach((s, i) => (i % 3 === 0 ? s(0) : undefined)))();
      diffs.set(name, diffDag(name));
    }
    for (const target of [undefined, FLOWS[0]]) {
      for (const direction of ["TD", "LR"] as const) {
        for (const format of ["mermaid", "dot"] as const) {
          const text = generateDag(target, { observed: true, format, direction, decorate: format === "mermaid" && direction === "LR" });
          drawings.push({ title: `${format} ${direction} ${JSON.stringify(target ?? "(all)")}`, kind: format, text, flow: target });
        }
      }
    }
    results = checkDiagrams(drawings);
  });

  afterAll(() => resetPenstock());

  const shown = (name: string): string => visibleText(name).trim();
  const sorted = (items: Iterable<string>): string[] => [...items].sort();

  function expectedMarks(flows: readonly string[]): Map<Mark, string[]> {
    const marks = new Map<Mark, string[]>([["declared", []], ["undeclared", []], ["unexercised", []], ["outOfOrder", []]]);
    for (const name of flows) {
      const diff = diffs.get(name)!;
      const missed = new Set(diff.unexercised.map((e) => `${e.from}\u0000${e.to}`));
      const reversed = new Set(diff.outOfOrder.map((e) => `${e.from}\u0000${e.to}`));
      const declared = NAMES.map((to, i) => ({ from: i === 0 ? "entry" : NAMES[i - 1]!, to }));
      for (const edge of declared) {
        const key = `${edge.from}\u0000${edge.to}`;
        marks.get(reversed.has(key) ? "outOfOrder" : missed.has(key) ? "unexercised" : "declared")!.push(`${shown(edge.from)} -> ${shown(edge.to)}`);
      }
      for (const edge of diff.undeclared) marks.get("undeclared")!.push(`${shown(edge.from)} -> ${shown(edge.to)}`);
    }
    return new Map([...marks].map(([mark, list]) => [mark, sorted(list)]));
  }

  test("the code drifted from its drawing as intended (so the marks below are all exercised)", () => {
    const diff = diffs.get("hostile")!;
    expect(diff.undeclared.length).toBeGreaterThan(10);
    expect(diff.unexercised.length).toBeGreaterThan(10);
    expect(diff.outOfOrder.length).toBeGreaterThan(5);
    expect(diff.unpreceded.length).toBeGreaterThan(5);
  });

  test("Mermaid accepts every observed drawing and reads each edge back with its mark", () => {
    drawings.forEach((drawing, i) => {
      if (drawing.kind !== "mermaid") return;
      expect({ title: drawing.title, ok: results[i]!.ok, error: results[i]!.error }).toEqual({ title: drawing.title, ok: true, error: undefined });
      const readout = results[i]!.graph as MermaidReadout;
      // An unpreceded step carries the mark as a second line of its label.
      const labels = new Map(readout.nodes.map((node) => [node.id, node.label.replace(/<br>unpreceded$/, "").trim()]));
      const unpreceded = readout.nodes.filter((node) => node.label.endsWith("<br>unpreceded")).map((node) => labels.get(node.id)!);
      const flows = drawing.flow === undefined ? FLOWS : [drawing.flow];
      expect(sorted(new Set(unpreceded))).toEqual(sorted(new Set(flows.flatMap((name) => diffs.get(name)!.unpreceded.map(({ step }) => shown(step))))));
      const seen = new Map<Mark, string[]>([["declared", []], ["undeclared", []], ["unexercised", []], ["outOfOrder", []]]);
      for (const edge of readout.edges) {
        const mark: Mark =
          edge.type === "arrow_point" && edge.stroke === "dotted" && edge.label === "undeclared"
            ? "undeclared"
            : edge.type === "arrow_cross" && edge.stroke === "normal" && edge.label === "unexercised"
              ? "unexercised"
              : edge.type === "arrow_point" && edge.stroke === "thick" && edge.label === "out of order"
                ? "outOfOrder"
              : edge.type === "arrow_point" && edge.stroke === "normal" && edge.label === ""
                ? "declared"
                : (`unexpected ${edge.type}/${edge.stroke}/${edge.label}` as Mark);
        seen.get(mark)!.push(`${labels.get(edge.from)} -> ${labels.get(edge.to)}`);
      }
      expect({ title: drawing.title, marks: new Map([...seen].map(([mark, list]) => [mark, sorted(list)])) }).toEqual({
        title: drawing.title,
        marks: expectedMarks(drawing.flow === undefined ? FLOWS : [drawing.flow]),
      });
    });
  });

  test("Graphviz lays out every observed drawing, undeclared edges red and dashed, unexercised ones grey and dotted", () => {
    drawings.forEach((drawing, i) => {
      if (drawing.kind !== "dot") return;
      expect({ title: drawing.title, ok: results[i]!.ok, error: results[i]!.error }).toEqual({ title: drawing.title, ok: true, error: undefined });
      const readout = results[i]!.graph as DotReadout;
      const expected = expectedMarks(drawing.flow === undefined ? FLOWS : [drawing.flow]);
      const count = (label: string, stroke: string, dash: string): number =>
        readout.edgeMarks.filter((m) => m.label === label && m.stroke === stroke && m.dash === dash).length;
      expect({
        title: drawing.title,
        declared: count("", "black", ""),
        undeclared: count("undeclared", "red", "5,2"),
        unexercised: count("unexercised", "#7f7f7f", "1,5"),
        outOfOrder: count("out of order", "darkorange", ""),
      }).toEqual({
        title: drawing.title,
        outOfOrder: expected.get("outOfOrder")!.length,
        declared: expected.get("declared")!.length,
        undeclared: expected.get("undeclared")!.length,
        unexercised: expected.get("unexercised")!.length,
      });
      expect(readout.edges).toBe(readout.edgeMarks.length);
    });
  });
});
