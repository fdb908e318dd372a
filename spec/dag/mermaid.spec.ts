// Mermaid output: the Python format byte for byte, quoting, ids, decorations, all flows.
// The registries come from corpus.ts, whose every drawing renderers.spec.ts parses for real.
import { generateDag } from "../../lib/dag";
import { isPlainMermaidId, mermaidLabel } from "../../lib/dag/mermaid";
import { FIXTURES } from "./corpus";
import { makeRegistry, PYTHON_EXAMPLE, USER_UPDATE } from "./registry-fixture";

// A fixed permutation, so a failure can be replayed.
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("one flow", () => {
  test("the Python documentation's user_update example renders exactly its six edges, sorted", () => {
    expect(generateDag("user_update", { registry: makeRegistry(USER_UPDATE) })).toBe(PYTHON_EXAMPLE);
  });

  test("steps without an edge follow the edges, sorted", () => {
    expect(generateDag("user_update", { registry: makeRegistry(FIXTURES.withIsolated!) })).toBe(`${PYTHON_EXAMPLE}    archive\n    audit\n`);
  });

  test("a flow of one step is that step on its own line", () => {
    expect(generateDag("ping", { registry: makeRegistry(FIXTURES.ping!) })).toBe("graph TD\n    ping\n");
  });

  test("the order of registration does not change a byte", () => {
    const steps = FIXTURES.withIsolated!;
    const texts = [steps, [...steps].reverse(), shuffled(steps)].map((order) => generateDag("user_update", { registry: makeRegistry(order) }));
    expect(new Set(texts).size).toBe(1);
  });

  test("direction LR changes only the first line", () => {
    expect(generateDag("user_update", { registry: makeRegistry(USER_UPDATE), direction: "LR" })).toBe(PYTHON_EXAMPLE.replace("graph TD", "graph LR"));
  });

  test("an edge listed twice in `after` is drawn once; a self-reference is drawn", () => {
    expect(generateDag("f", { registry: makeRegistry(FIXTURES.duplicates!) })).toBe("graph TD\n    a --> b\n    b --> b\n");
  });

  test("a name referenced in `after` but never registered is still drawn", () => {
    expect(generateDag("f", { registry: makeRegistry(FIXTURES.ghost!) })).toBe("graph TD\n    ghost --> b\n");
  });
});

describe("names Mermaid would misread", () => {
  test("become n_<fnv1a>[\"label\"] with Mermaid entity codes; plain names stay bare", () => {
    expect(generateDag("f", { registry: makeRegistry(FIXTURES.quoting!) })).toBe(
      "graph TD\n" +
        '    n_6a8e75aa["end"] --> n_7d4ef3c7["with space"]\n' +
        "    ox --> xo\n" +
        '    n_4ab80c81["say #quot;hi#quot;"] --> ox\n' +
        '    n_7d4ef3c7["with space"] --> n_4ab80c81["say #quot;hi#quot;"]\n' +
        '    xo --> n_d3310ddf["überprüfen"]\n' +
        '    n_924d871e["#lt;b#gt;#amp;#lt;/b#gt;"]\n',
    );
  });

  test("a plain name that equals a hashed id keeps it; the hashed one moves aside", () => {
    expect(generateDag("f", { registry: makeRegistry(FIXTURES.collision!) })).toBe('graph TD\n    n_6a8e75aa_2["end"] --> n_6a8e75aa\n');
  });

  test.each(["end", "End", "graph", "subgraph", "click", "style", "class", "classDef", "default", "direction", "TD", "LR", "v", "_self"])(
    "%s is quoted",
    (name) => expect(isPlainMermaidId(name)).toBe(false),
  );

  test.each(["a", "load_user", "_private", "ox", "xo", "o", "x", "endpoint", "graphql", "A1"])("%s stays bare", (name) => {
    expect(isPlainMermaidId(name)).toBe(true);
  });

  test.each([
    ["a#b", "a#35;b"],
    ["a:b", "a#58;b"],
    ["100%", "100#37;"],
    ["`md`", "#96;md#96;"],
    ["ﬂ¶", "#64258;#182;"],
    ["direction LR", "direction#32;LR"],
    ["a\nb\tc\u007f", "a\u240ab\u2409c\u2421"],
    ["\u2028", "\ufffd"],
    ["", " "],
  ])("label of %j is %j", (name, label) => {
    expect(mermaidLabel(name)).toBe(label);
  });
});

describe("decorate", () => {
  test("draws entrypoints as stadiums wherever they appear; off by default", () => {
    const registry = makeRegistry(FIXTURES.decorated!);
    expect(generateDag("f", { registry, decorate: true })).toBe(
      'graph TD\n    start(["start"]) --> n_227d5053["my step"]\n    n_14c5ebe5(["other start"])\n',
    );
    expect(generateDag("f", { registry })).toBe('graph TD\n    start --> n_227d5053["my step"]\n    n_14c5ebe5["other start"]\n');
  });
});

describe("every flow", () => {
  test("one subgraph per flow, sorted, node ids prefixed with the flow so shared names stay apart; entrypoints are stadiums, unknown names dashed", () => {
    expect(generateDag(undefined, { registry: makeRegistry(FIXTURES.twoFlows!) })).toBe(
      "graph TD\n" +
        '    subgraph orders ["orders"]\n' +
        '        orders__ghost["ghost"] --> orders__n_8ceeea35["charge card"]\n' +
        '        orders__receive(["receive"]) --> orders__validate["validate"]\n' +
        '        orders__validate["validate"] --> orders__n_8ceeea35["charge card"]\n' +
        "    end\n" +
        '    subgraph refunds ["refunds"]\n' +
        '        refunds__receive(["receive"]) --> refunds__validate["validate"]\n' +
        '        refunds__validate["validate"] --> refunds__orders["orders"]\n' +
        "    end\n" +
        // Decorated: the name no step of the flow has is dashed.
        "    classDef unknown stroke-dasharray: 5 5\n" +
        "    class orders__ghost unknown\n",
    );
  });

  test("a flow name Mermaid would misread gets a hashed subgraph id; isolated steps stay in their subgraph", () => {
    const registry = makeRegistry(FIXTURES.myFlow!);
    expect(generateDag(undefined, { registry, direction: "LR" })).toBe(
      'graph LR\n    subgraph f_b86681c9 ["my flow"]\n        f_b86681c9__only(["only"])\n    end\n',
    );
  });

  test("decorate: false draws every flow with entrypoints like steps", () => {
    expect(generateDag(undefined, { registry: makeRegistry(FIXTURES.myFlow!), decorate: false })).toBe(
      'graph TD\n    subgraph f_b86681c9 ["my flow"]\n        f_b86681c9__only["only"]\n    end\n',
    );
  });

  test("with nothing registered it is the empty diagram, which Mermaid accepts", () => {
    expect(generateDag(undefined, { registry: makeRegistry(FIXTURES.empty!) })).toBe("graph TD\n");
  });
});
