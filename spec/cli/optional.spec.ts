// The optional packages of the bin: in a project without tsx and without Graphviz for
// WebAssembly, the rest works and the missing part says what to install (exit 2).
import { cpSync } from "node:fs";
import { join } from "node:path";
import { packedConsumer, repoRoot, type Consumer } from "../support/consumer";

let consumer: Consumer;

beforeAll(() => {
  consumer = packedConsumer(join(__dirname, "fixtures"), { without: ["tsx", "@hpcc-js"] });
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
