// Flows that start flows (an entrypoint following another flow's step), and unknown
// predecessors, in every format, and accepted by the real Mermaid parser and Graphviz.
import { entrypoint, generateDag, step, validateFlow } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { checkDiagrams, type DotReadout, type MermaidReadout } from "../support/renderers";

const noop = () => undefined;

function register(): void {
  const checkout = entrypoint("checkout", noop, { flow: "orders" });
  const enqueue = step("enqueue_shipping", noop, { after: checkout });
  step("reserve_stock", noop, { after: [checkout, "reserve_stok"] });
  const ship = entrypoint("ship_order", noop, { flow: "shipping", after: enqueue });
  step("pack", noop, { after: ship });
}

beforeEach(() => {
  resetPenstock();
  register();
});

test("validateFlow accepts the cross-flow edge and still reports the typo", () => {
  expect(validateFlow("shipping")).toEqual([]);
  expect(validateFlow("orders").map((p) => [p.code, p.step])).toEqual([["UNKNOWN_STEP", "reserve_stock"]]);
});

test("one flow in Mermaid: the other flow's step is an external node with a dotted arrow", () => {
  expect(generateDag("shipping")).toBe('graph TD\n    ship_order --> pack\n    x_48c12b87["enqueue_shipping (orders)"] -.-> ship_order\n');
  expect(generateDag("shipping", { decorate: true })).toBe(
    "graph TD\n" +
      '    ship_order(["ship_order"]) --> pack\n' +
      '    x_48c12b87["enqueue_shipping (orders)"] -.-> ship_order\n' +
      "    classDef external stroke-dasharray: 2 2\n" +
      "    class x_48c12b87 external\n",
  );
  // Undecorated, the unknown name is drawn as before; decorated, it gets the class.
  expect(generateDag("orders")).toBe("graph TD\n    checkout --> enqueue_shipping\n    checkout --> reserve_stock\n    reserve_stok --> reserve_stock\n");
  expect(generateDag("orders", { decorate: true })).toContain("    classDef unknown stroke-dasharray: 5 5\n    class reserve_stok unknown\n");
});

test("every flow: the edge goes between the two subgraphs (the system map)", () => {
  const mermaid = generateDag();
  expect(mermaid).toContain("    end\n    orders__enqueue_shipping -.-> shipping__ship_order\n");
  expect(mermaid).not.toContain("x_");
  const dot = generateDag(undefined, { format: "dot" });
  expect(dot).toContain('    "orders/enqueue_shipping" -> "shipping/ship_order" [style=dashed];\n}\n');
});

test("DOT: unknown nodes dashed, external nodes dotted", () => {
  expect(generateDag("orders", { format: "dot" })).toContain('    "reserve_stok" [style="rounded,dashed"];\n');
  const shipping = generateDag("shipping", { format: "dot" });
  expect(shipping).toContain('    "orders/enqueue_shipping" [label="enqueue_shipping (orders)", style="rounded,dotted"];\n');
  expect(shipping).toContain('    "orders/enqueue_shipping" -> "ship_order" [style=dashed];\n');
});

test("JSON: kind unknown for the typo, crossFlow for the hop, a source for every registered step", () => {
  const document = JSON.parse(generateDag(undefined, { format: "json" }));
  const orders = document.flows[0];
  expect(orders.steps.find((s: { name: string }) => s.name === "reserve_stok")).toEqual({ name: "reserve_stok", kind: "unknown", after: [] });
  for (const s of orders.steps.filter((s: { kind: string }) => s.kind !== "unknown")) expect(s.source).toMatch(/^spec\/dag\/cross-flow\.spec\.ts:\d+:\d+$/);
  expect(document.flows[1].crossFlow).toEqual([{ flow: "orders", step: "enqueue_shipping", to: "ship_order" }]);
  expect(orders.crossFlow).toBeUndefined();
});

test("the real Mermaid parser and Graphviz read every drawing, with the marks in place", () => {
  const drawings = [
    { kind: "mermaid" as const, text: generateDag() },
    { kind: "mermaid" as const, text: generateDag(undefined, { decorate: true }) },
    { kind: "mermaid" as const, text: generateDag("shipping", { decorate: true }) },
    { kind: "mermaid" as const, text: generateDag("orders", { decorate: true }) },
    { kind: "dot" as const, text: generateDag(undefined, { format: "dot" }) },
    { kind: "dot" as const, text: generateDag("shipping", { format: "dot" }) },
  ];
  const results = checkDiagrams(drawings);
  for (const [i, result] of results.entries()) expect({ i, ok: result.ok, error: result.error }).toEqual({ i, ok: true, error: undefined });
  const all = results[0]!.graph as MermaidReadout;
  expect(all.edges).toContainEqual(expect.objectContaining({ from: "orders__enqueue_shipping", to: "shipping__ship_order", stroke: "dotted" }));
  const one = results[2]!.graph as MermaidReadout;
  expect(one.nodes).toContainEqual({ id: "x_48c12b87", label: "enqueue_shipping (orders)" });
  const dot = results[4]!.graph as DotReadout;
  expect(dot.edgeMarks.filter((mark) => mark.dash !== "")).toHaveLength(1);
});

describe("PENSTOCK_UNKNOWN_STEP at run time", () => {
  function warningsDuring(run: () => void): Promise<Error[]> {
    const seen: Error[] = [];
    const spy = jest.spyOn(process, "emitWarning").mockImplementation(((message: string, options?: { code?: string }) => {
      seen.push(Object.assign(new Error(message), { code: options?.code }));
    }) as typeof process.emitWarning);
    try {
      run();
    } finally {
      spy.mockRestore();
    }
    return Promise.resolve(seen);
  }

  test("one warning on the first call of the flow, naming the step and the unknown name; none for a sound flow", async () => {
    const orders = entrypoint("checkout_again", noop, { flow: "orders" });
    const shipping = entrypoint("ship_again", noop, { flow: "shipping" });
    const seen = await warningsDuring(() => {
      orders();
      orders();
      entrypoint("checkout_third", noop, { flow: "orders" })();
      shipping();
    });
    const unknown = seen.filter((warning) => (warning as Error & { code?: string }).code === "PENSTOCK_UNKNOWN_STEP");
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.message).toBe(
      'penstock: flow "orders" has no step of a name its `after` lists (step "reserve_stock" lists "reserve_stok"); ' +
        "the DAG draws it as an unknown node. Fix the name, or register that step in this flow (penstock check lists every problem).",
    );
  });
});
