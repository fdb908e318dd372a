// `penstock dag`: the real bin of the packed package, run in a scratch consumer folder on
// modules of every kind (.mjs, .cjs, .js in an ESM package, .ts through tsx).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkDiagrams, type Diagram, type MermaidReadout } from "../support/renderers";
import { packedConsumer, repoRoot, type Consumer } from "../support/consumer";
import { ORDERS_MERMAID } from "../support/orders";

let consumer: Consumer;

beforeAll(() => {
  consumer = packedConsumer(join(__dirname, "fixtures"));
  // The demo flow of the README, as it is in the repository.
  cpSync(join(repoRoot, "examples", "orders.mjs"), join(consumer.dir, "orders.mjs"));
});

afterAll(() => consumer?.remove());

const ALL = ["orders.mjs", "refunds.cjs", "esm/shipping.js", "billing.ts"];

function ok(args: readonly string[]): string {
  const result = consumer.bin(args);
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
  return result.stdout;
}

// The demo flow's edges, without the `graph TD` line.
const ORDERS = ORDERS_MERMAID.slice("graph TD\n".length);

describe("drawing", () => {
  test("one flow as Mermaid: exactly generateDag's text, the one the README shows", () => {
    const out = ok(["dag", "orders.mjs", "--flow", "orders"]);
    expect(out).toBe(`graph TD\n${ORDERS}`);
    expect(readFileSync(join(repoRoot, "README.md"), "utf8")).toContain(`\`\`\`mermaid\n${out}\`\`\``);
  });

  test("every flow of .mjs, .cjs, ESM .js and .ts modules, one subgraph each, sorted", () => {
    const out = ok(["dag", ...ALL]);
    expect([...out.matchAll(/^ {4}subgraph (\S+) /gm)].map((m) => m[1])).toEqual(["billing", "orders", "refunds", "shipping"]);
    // Entrypoints are stadiums wherever the drawing is not the one-flow (Python) Mermaid.
    expect(out).toContain('        billing__invoice(["invoice"]) --> billing__n_');
    expect(out).toContain('        refunds__approve["approve"] --> refunds__pay_back["pay_back"]\n');
  });

  test("json: the documented schema, with every flow the modules registered", () => {
    const document = JSON.parse(ok(["dag", ...ALL, "--format", "json"]));
    expect(document.version).toBe(1);
    expect(document.flows.map((f: { name: string }) => f.name)).toEqual(["billing", "orders", "refunds", "shipping"]);
    expect(document.flows[3]).toEqual({
      name: "shipping",
      entrypoints: ["ship"],
      steps: [
        { name: "pack", kind: "step", after: ["ship"], source: "esm/shipping.js:5:21" },
        { name: "print label", kind: "step", after: ["pack"], source: "esm/shipping.js:6:22" },
        { name: "ship", kind: "entrypoint", after: [], source: "esm/shipping.js:4:21" },
      ],
      edges: [
        { from: "pack", to: "print label" },
        { from: "ship", to: "pack" },
      ],
    });
  });

  test("markdown: a heading and a mermaid block per flow, entrypoints as stadiums unless --plain", () => {
    const out = ok(["dag", "orders.mjs", "refunds.cjs", "--format", "markdown"]);
    const decorated = ORDERS.replace("    place_order -->", '    place_order(["place_order"]) -->');
    expect(out).toBe(`## orders\n\n\`\`\`mermaid\ngraph TD\n${decorated}\`\`\`\n\n## refunds\n\n\`\`\`mermaid\ngraph TD\n    approve --> pay_back\n    request_refund(["request_refund"]) --> approve\n\`\`\`\n`);
    const plain = ok(["dag", "orders.mjs", "refunds.cjs", "--format", "markdown", "--plain"]);
    expect(plain).toBe(`## orders\n\n\`\`\`mermaid\ngraph TD\n${ORDERS}\`\`\`\n\n## refunds\n\n\`\`\`mermaid\ngraph TD\n    approve --> pay_back\n    request_refund --> approve\n\`\`\`\n`);
  });

  test("dot, --direction LR and --decorate", () => {
    const dot = ok(["dag", "orders.mjs", "--flow", "orders", "--format", "dot", "--direction", "LR"]);
    expect(dot).toMatch(/^digraph "orders" \{\n {4}rankdir=LR;\n/);
    expect(dot).toContain('    "place_order" [style="rounded,bold", peripheries=2];\n');
    expect(ok(["dag", "orders.mjs", "--flow", "orders", "--direction", "LR", "--decorate"])).toContain('    place_order(["place_order"]) --> validate_order\n');
  });

  test("svg: laid out by real Graphviz, every step drawn under its name", () => {
    const svg = ok(["dag", "orders.mjs", "--flow", "orders", "--format", "svg"]);
    expect(svg).toMatch(/^<\?xml [^>]*\?>\n<!DOCTYPE svg /);
    expect(svg).toContain("<svg ");
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    const texts = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).sort();
    expect(texts).toEqual(["charge_payment", "place_order", "reserve_stock", "send_confirmation", "validate_order"]);
    expect(svg.match(/class="edge"/g)).toHaveLength(5);
  });

  test("--stats: the figures another process gathered, on Mermaid and on an SVG with a colour scale and its legend", () => {
    expect(consumer.run("orders-stats.mjs", [join(consumer.dir, "orders-stats.json")])).toBe("written\n");
    const mermaid = ok(["dag", "orders.mjs", "--flow", "orders", "--stats", "orders-stats.json"]);
    expect(mermaid).toContain('place_order["place_order<br/>4 calls · p95 ');
    expect(mermaid).toContain(' -->|3| ');
    expect(mermaid).toMatch(/validate_order\["validate_order<br\/>4 calls · p95 [^"]+ · 25#37; errors"\]/);
    const svg = ok(["dag", "orders.mjs", "--flow", "orders", "--stats", "orders-stats.json", "--format", "svg", "--color-by", "errorRate"]);
    const texts = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toContain("validate_order");
    expect(texts.some((text) => /^4 calls · p95 .* · 25% errors$/.test(text!))).toBe(true);
    expect(texts).toEqual(expect.arrayContaining(["error rate", "no errors", "errors &gt; 20%"]));
    expect(svg).toContain('fill="#bd0026"');
    const bad = consumer.bin(["dag", "orders.mjs", "--stats", "missing.json"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("cannot read --stats missing.json");
    writeFileSync(join(consumer.dir, "bad-stats.json"), JSON.stringify({ flow: "orders", flowCalls: "many", steps: [], edges: [] }));
    const malformed = consumer.bin(["dag", "orders.mjs", "--stats", "bad-stats.json"]);
    expect(malformed.stderr).toContain("generateDag(flow, options).stats.flowCalls");
    expect(consumer.bin(["dag", "orders.mjs", "--color-by", "p95"]).stderr).toContain("--color-by needs --stats");
  });

  test("every Mermaid and DOT drawing it prints, hostile names included, is accepted by the real parsers", () => {
    // Every flow and one flow, both directions, each format once per module set (the drawing
    // code is the same whatever the modules are; the names are what differ).
    const runs: string[][] = [
      ["dag", ...ALL, "--format", "mermaid", "--direction", "LR", "--decorate"],
      ["dag", ...ALL, "--format", "dot", "--direction", "LR"],
      ["dag", "orders.mjs", "--flow", "orders", "--format", "dot"],
      ["dag", "hostile.mjs", "--format", "mermaid"],
      ["dag", "hostile.mjs", "--format", "dot"],
      ["dag", "hostile.mjs", "--flow", "end", "--format", "mermaid", "--direction", "LR", "--decorate"],
      ["dag", "hostile.mjs", "--flow", "subgraph", "--format", "dot", "--direction", "LR"],
    ];
    const drawings: (Diagram & { title: string })[] = runs.map((args) => ({ kind: args.includes("dot") ? "dot" : "mermaid", text: ok(args), title: args.join(" ") }));
    for (const modules of [["orders.mjs"], ["hostile.mjs"]]) {
      const markdown = ok(["dag", ...modules, "--format", "markdown"]);
      for (const [, text] of markdown.matchAll(/```mermaid\n([\s\S]*?)```\n/g)) drawings.push({ kind: "mermaid", text: text!, title: `markdown block of ${modules.join(" ")}` });
    }
    expect(drawings.length).toBe(runs.length + 4);
    const results = checkDiagrams(drawings);
    expect(results.map((r, i) => (r.ok ? "ok" : `${drawings[i]!.title}: ${r.error}`))).toEqual(drawings.map(() => "ok"));
    // The hostile flows were drawn in full: 33 nodes and 32 edges per flow (three flows).
    const hostileAll = results[3]!.graph as MermaidReadout;
    expect({ nodes: hostileAll.nodes.length, edges: hostileAll.edges.length, subgraphs: hostileAll.subgraphs.length }).toEqual({ nodes: 99, edges: 96, subgraphs: 3 });
  });
});

describe("--out and --check", () => {
  test("--out writes the file (creating folders) and prints nothing", () => {
    const result = consumer.bin(["dag", "orders.mjs", "--format", "markdown", "--out", "docs/flows/orders.md"]);
    expect(result).toEqual({ status: 0, stdout: "", stderr: "penstock: wrote docs/flows/orders.md.\n" });
    expect(readFileSync(join(consumer.dir, "docs/flows/orders.md"), "utf8")).toBe(ok(["dag", "orders.mjs", "--format", "markdown"]));
  });

  test("--out writes SVG too", () => {
    expect(consumer.bin(["dag", "orders.mjs", "--flow", "orders", "--format", "svg", "--out", "docs/orders.svg"]).status).toBe(0);
    expect(readFileSync(join(consumer.dir, "docs/orders.svg"), "utf8")).toContain("<title>orders</title>");
  });

  test("--check: a current file exits 0 and is left alone", () => {
    const args = ["dag", "orders.mjs", "refunds.cjs", "--format", "markdown", "--out", "docs/current.md"];
    expect(consumer.bin(args).status).toBe(0);
    const result = consumer.bin([...args, "--check"]);
    expect(result).toEqual({ status: 0, stdout: "", stderr: "penstock: docs/current.md is up to date.\n" });
  });

  test("--check: a stale file exits 1 with a unified diff that patch applies to make it current", () => {
    const args = ["dag", "orders.mjs", "refunds.cjs", "--format", "markdown", "--out", "docs/stale.md"];
    expect(consumer.bin(args).status).toBe(0);
    const file = join(consumer.dir, "docs/stale.md");
    const fresh = readFileSync(file, "utf8");
    // Someone renamed a step by hand and dropped the refunds flow.
    const stale = fresh.replace("reserve_stock --> charge_payment", "reserve --> charge_payment").replace(/\n## refunds[\s\S]*$/, "\n");
    writeFileSync(file, stale);

    const result = consumer.bin([...args, "--check"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("penstock: docs/stale.md is stale. Run the same command without --check to write it.\n");
    expect(result.stdout).toMatch(/^--- a\/docs\/stale\.md\n\+\+\+ b\/docs\/stale\.md\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    expect(result.stdout).toContain("\n-    reserve --> charge_payment\n+    reserve_stock --> charge_payment\n");
    expect(result.stdout).toContain("\n+## refunds\n");
    expect(readFileSync(file, "utf8")).toBe(stale);

    const patched = spawnSync("patch", ["-p1", "--quiet"], { cwd: consumer.dir, input: result.stdout, encoding: "utf8" });
    expect({ status: patched.status, stderr: patched.stderr }).toEqual({ status: 0, stderr: "" });
    expect(readFileSync(file, "utf8")).toBe(fresh);
    expect(consumer.bin([...args, "--check"]).status).toBe(0);
  });

  test("--check: a missing file exits 1 with the whole drawing as added lines, and is not created", () => {
    const result = consumer.bin(["dag", "orders.mjs", "--flow", "orders", "--out", "docs/missing.mmd", "--check"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(`--- /dev/null\n+++ b/docs/missing.mmd\n@@ -0,0 +1,6 @@\n${`graph TD\n${ORDERS}`.replace(/^(?=.)/gm, "+")}`);
    expect(result.stderr).toContain("docs/missing.mmd is missing");
    expect(existsSync(join(consumer.dir, "docs/missing.mmd"))).toBe(false);
  });

  test("paths are relative to the directory it runs in", () => {
    mkdirSync(join(consumer.dir, "sub"), { recursive: true });
    const result = consumer.bin(["dag", "../orders.mjs", "--flow", "orders", "--out", "orders.mmd"], { cwd: "sub" });
    expect(result.status).toBe(0);
    expect(readFileSync(join(consumer.dir, "sub/orders.mmd"), "utf8")).toBe(`graph TD\n${ORDERS}`);
  });
});
