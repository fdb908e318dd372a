// The smoke suite's runner (spec/runtimes/harness.mjs), run by plain node as the runtimes run it:
// a failure listed as a known runtime bug is counted apart from passed and failed, and a listed
// test that passes says so.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const harness = pathToFileURL(join(__dirname, "harness.mjs")).href;

function run(body: string): { summary: Record<string, unknown>; lines: string[] } {
  const source = `import { report, runTests } from ${JSON.stringify(harness)};\n${body}`;
  const lines = execFileSync(process.execPath, ["--input-type=module", "-e", source], { encoding: "utf8" }).trim().split("\n");
  const marker = "PENSTOCK_RUNTIME_RESULT ";
  return { summary: JSON.parse(lines.find((line) => line.startsWith(marker))!.slice(marker.length)), lines };
}

test("passed, failed and known runtime bugs are counted apart, each known one with its issue", () => {
  const { summary, lines } = run(`
    async function passes() {}
    async function fails() { throw new Error("nope"); }
    async function lost_context() { throw new Error("context lost"); }
    async function fixed_upstream() {}
    const bugs = { deno: { lost_context: "https://example.test/issue/1", fixed_upstream: "https://example.test/issue/2" } };
    report(await runTests("deno", "9.9.9", [passes, fails, lost_context, fixed_upstream], bugs));
  `);
  expect(summary).toMatchObject({ runtime: "deno", version: "9.9.9", passed: 2, failed: 1, known: 1 });
  expect(summary.tests).toEqual([
    { name: "passes", status: "passed", ms: expect.any(Number) },
    { name: "fails", status: "failed", error: "Error: nope", ms: expect.any(Number) },
    { name: "lost_context", status: "known", error: "Error: context lost", bug: "https://example.test/issue/1", ms: expect.any(Number) },
    { name: "fixed_upstream", status: "passed", note: expect.stringContaining("https://example.test/issue/2"), ms: expect.any(Number) },
  ]);
  expect(lines).toContain("deno 9.9.9: 2 passed, 1 failed, 1 known runtime bugs");
});

test("a known bug of one runtime is a plain failure on another", () => {
  const { summary } = run(`
    async function lost_context() { throw new Error("context lost"); }
    report(await runTests("bun", "1", [lost_context], { deno: { lost_context: "https://example.test/issue/1" } }));
  `);
  expect(summary).toMatchObject({ passed: 0, failed: 1, known: 0 });
});
