// The optional packages of the bin: in a project without tsx, TypeScript and Graphviz for
// WebAssembly, the rest works and the missing part says what to install (exit 2).
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packedConsumer, repoRoot, type Consumer } from "../support/consumer";

let consumer: Consumer;

beforeAll(() => {
  consumer = packedConsumer(join(__dirname, "fixtures"), { without: ["tsx", "@hpcc-js", "typescript"] });
  cpSync(join(repoRoot, "examples", "orders.mjs"), join(consumer.dir, "orders.mjs"));
});

afterAll(() => consumer?.remove());

test("JavaScript modules and every text format work without them", () => {
  for (const format of ["mermaid", "markdown", "dot", "json"]) {
    const result = consumer.bin(["dag", "orders.mjs", "refunds.cjs", "esm/shipping.js", "--format", format]);
    expect({ format, status: result.status, stderr: result.stderr }).toEqual({ format, status: 0, stderr: "" });
    expect(result.stdout).toContain("pay_back");
  }
  expect(consumer.bin(["check", "orders.mjs"]).status).toBe(0);
});

test("a .ts module without tsx: what to install, exit 2", () => {
  const result = consumer.bin(["dag", "orders.mjs", "billing.ts"]);
  expect(result).toEqual({
    status: 2,
    stdout: "",
    stderr:
      `penstock: billing.ts is TypeScript, and importing it needs tsx, which is not installed here (looked from ${consumer.dir}). ` +
      "Install it with `npm install -D tsx`, pass the compiled .js files instead, or read the sources with --static.\n",
  });
});

test("--format svg without @hpcc-js/wasm-graphviz: what to install, exit 2", () => {
  const result = consumer.bin(["dag", "orders.mjs", "--format", "svg", "--out", "orders.svg"]);
  expect(result).toEqual({
    status: 2,
    stdout: "",
    stderr:
      "penstock: --format svg renders with Graphviz compiled to WebAssembly, from the optional package @hpcc-js/wasm-graphviz, which is not installed. " +
      "Install it with `npm install -D @hpcc-js/wasm-graphviz`, or use --format dot and your own Graphviz.\n",
  });
});

test("--static (or a directory) without typescript: what to install, exit 2", () => {
  const message =
    `penstock: static extraction reads the sources with the TypeScript compiler, from the optional package typescript, which is not installed here (looked from ${consumer.dir}). ` +
    "Install it with `npm install -D typescript`, or import the modules instead with --import.\n";
  expect(consumer.bin(["dag", "orders.mjs", "--static"])).toEqual({ status: 2, stdout: "", stderr: message });
  expect(consumer.bin(["check", "esm"])).toEqual({ status: 2, stdout: "", stderr: message });
  // Imported, the same directory needs none of it.
  expect(consumer.bin(["check", "esm", "--import"]).status).toBe(0);
});

test("penstock report without @hpcc-js/wasm-graphviz: the page is drawn with penstock's own layout, and says so", () => {
  const result = consumer.bin(["report", "--modules", "orders.mjs", "--out", "report.html"]);
  expect(result.status).toBe(0);
  expect(result.stderr).toMatch(
    /^penstock: @hpcc-js\/wasm-graphviz is not installed, so the drawings use penstock's own layout \(npm install -D @hpcc-js\/wasm-graphviz for Graphviz's\)\.\npenstock: wrote report\.html \(1 flow, \d+ KiB\)\.\n$/,
  );
  const html = readFileSync(join(consumer.dir, "report.html"), "utf8");
  const titles = [...html.matchAll(/<g id="flow0-node\d+" class="node"><title>([^<]*)<\/title>/g)].map((m) => m[1]);
  expect(titles.sort()).toEqual(["charge_payment", "place_order", "reserve_stock", "send_confirmation", "validate_order"]);
});
