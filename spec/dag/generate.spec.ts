// generateDag: arguments and options checked at the door, file output, unknown flows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDag } from "../../lib/dag";
import { FIXTURES } from "./corpus";
import { makeRegistry, USER_UPDATE } from "./registry-fixture";

const registry = makeRegistry(USER_UPDATE);

describe("output", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "penstock-dag-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("writes exactly the returned text, creating missing directories", () => {
    const file = join(dir, "docs", "flows", "user_update.mmd");
    const text = generateDag("user_update", { registry, output: file });
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(text.endsWith("\n")).toBe(true);
  });

  test("replaces a file that is there, in any format", () => {
    const file = join(dir, "flows.json");
    writeFileSync(file, "stale and much longer than the new content ".repeat(100));
    const text = generateDag(undefined, { registry, output: file, format: "json" });
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  test("keeps non-ASCII names intact (UTF-8)", () => {
    const file = join(dir, "q.mmd");
    generateDag("f", { registry: makeRegistry(FIXTURES.quoting!), output: file });
    expect(readFileSync(file, "utf8")).toContain('["überprüfen"]');
  });
});

describe("arguments", () => {
  test("defaults: Mermaid, top-down", () => {
    expect(generateDag("user_update", { registry })).toBe(generateDag("user_update", { registry, format: "mermaid", direction: "TD" }));
    expect(generateDag("user_update", { registry, format: undefined })).toMatch(/^graph TD\n/);
  });

  test.each([
    [{ format: "svg" }, /^generateDag\(flow, options\)\.format: /],
    [{ format: "Mermaid" }, /^generateDag\(flow, options\)\.format: /],
    [{ direction: "BT" }, /^generateDag\(flow, options\)\.direction: /],
    [{ output: "" }, /^generateDag\(flow, options\)\.output: /],
    [{ output: 42 }, /^generateDag\(flow, options\)\.output: /],
    [{ decorate: "yes" }, /^generateDag\(flow, options\)\.decorate: /],
    [{ registry: { flows: {} } }, /^generateDag\(flow, options\)\.registry: expected a registry/],
    [{ flow: "user_update" }, /^generateDag\(flow, options\) has unknown option "flow"/],
  ])("options %j is INVALID_ARGUMENT naming the field", (options, message) => {
    expect(() => generateDag("user_update", { registry, ...options } as never)).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringMatching(message) }),
    );
  });

  test("options that are not an object are INVALID_ARGUMENT", () => {
    for (const options of [null, "dot", 1]) {
      expect(() => generateDag("user_update", options as never)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/^generateDag\(flow, options\) must be an object, not /) }));
    }
  });

  test("a flow that is not a string is INVALID_ARGUMENT; an unknown flow is UNKNOWN_FLOW", () => {
    expect(() => generateDag(42 as never, { registry })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/^generateDag\(flow\): /) }));
    expect(() => generateDag(null as never, { registry })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => generateDag("nope", { registry })).toThrow(expect.objectContaining({ code: "UNKNOWN_FLOW", message: expect.stringContaining('"nope"') }));
  });

  test("nothing is written when the arguments are bad", () => {
    const dir = mkdtempSync(join(tmpdir(), "penstock-dag-"));
    try {
      const file = join(dir, "never.mmd");
      expect(() => generateDag("nope", { registry, output: file })).toThrow();
      expect(() => readFileSync(file)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
