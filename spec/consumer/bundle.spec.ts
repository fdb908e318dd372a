// The packed package inside an application bundled with esbuild, as bundling users do it: an
// ESM bundle and a CommonJS bundle of an app written with `import`, no flags beyond the format
// (docs/guide.md, "Bundling"). Each bundle runs with plain `node` in a child process.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { packedConsumer, type Consumer } from "../support/consumer";

let consumer: Consumer;

beforeAll(() => {
  consumer = packedConsumer(join(__dirname, "bundle-fixtures"));
});

afterAll(() => consumer?.remove());

/** The step records of the app's two calls, in order. */
const TWO_CALLS = [
  "step.start:receive",
  "step.start:validate",
  "step.end:validate",
  "step.end:receive",
  "step.start:receive",
  "step.start:validate",
  "step.end:validate",
  "step.end:receive",
];

/** The consumer's app.mjs bundled as a user would, into `outfile` next to it. */
function bundle(format: "esm" | "cjs", outfile: string): void {
  buildSync({
    entryPoints: [join(consumer.dir, "app.mjs")],
    bundle: true,
    platform: "node",
    format,
    outfile: join(consumer.dir, outfile),
    absWorkingDir: consumer.dir,
    // Not the repository's tsconfig.json above the scratch folder: its `paths` would point
    // `penstock` at lib/ instead of the packed package.
    tsconfigRaw: {},
    logLevel: "silent",
  });
}

test.each([
  ["an ESM bundle (--bundle --platform=node --format=esm)", "esm", "app.bundle.mjs"],
  ["a CommonJS bundle of an app written with import (--bundle --platform=node --format=cjs)", "cjs", "app.bundle.cjs"],
] as const)("%s runs: the flow is traced by the default logger, its DAG drawn", (_label, format, outfile) => {
  bundle(format, outfile);
  // The bundle holds the packed build, not the sources.
  expect(readFileSync(join(consumer.dir, outfile), "utf8")).toMatch(/node_modules\/penstock\/dist\//);
  const run = spawnSync(process.execPath, [outfile], { cwd: consumer.dir, encoding: "utf8", timeout: 60_000 });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const records = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  const summary = records.pop();
  expect(summary).toEqual({ summary: true, results: ["accepted", "rejected"], backend: "logging", dag: "graph TD\n    receive --> validate\n" });
  expect(records.map((record) => `${record.msg}:${record.step}`)).toEqual(TWO_CALLS);
  expect(new Set(records.slice(0, 4).map((record) => record.correlation_id)).size).toBe(1);
});

test("an ESM bundle deployed without node_modules logs the same records through pino's browser build", () => {
  bundle("esm", "app.alone.mjs");
  // Alone in a folder with no node_modules above it: Node's require finds no pino.
  const alone = mkdtempSync(join(tmpdir(), "penstock-bundle-"));
  try {
    copyFileSync(join(consumer.dir, "app.alone.mjs"), join(alone, "app.mjs"));
    const run = spawnSync(process.execPath, ["app.mjs"], { cwd: alone, encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const records = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.pop()).toMatchObject({ summary: true, results: ["accepted", "rejected"], backend: "logging" });
    expect(records.map((record) => `${record.msg}:${record.step}`)).toEqual(TWO_CALLS);
    expect(records[0]).toMatchObject({ level: 30, flow: "checkout", kind: "entrypoint", correlation_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(new Set(records.slice(0, 4).map((record) => record.correlation_id)).size).toBe(1);
  } finally {
    rmSync(alone, { recursive: true, force: true });
  }
});
