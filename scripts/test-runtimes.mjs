#!/usr/bin/env node
// The runtime smoke suite (spec/runtimes/) on Node, Bun, Deno and workerd, for .ci/run.
//
//   node scripts/test-runtimes.mjs [node] [bun] [deno] [workerd]     (default: all four)
//
// The built package (dist/: run `npm run build` first; `npm test` does) is packed and installed
// as a consumer installs it, in a scratch folder outside the repository (inside it, Bun and
// esbuild would resolve "penstock" to lib/ through tsconfig.json's paths), with the suite's
// files beside it. Each runtime runs the suite there: Node (the one running this script) and
// the pinned Bun and Deno of scripts/runtime-binary.mjs run spec/runtimes/run.mjs; workerd, the
// version miniflare (a devDependency) pins, is driven by spec/runtimes/workerd.mjs on the pinned
// Node 22 of scripts/node-binary.mjs (miniflare needs Node 22 or later).
//
// Each runtime's result goes to .jest-results/runtime-<name>.json in the fields of a jest JSON
// report that `scripts/test-node-versions.mjs summary` counts (numPassedTests, numFailedTests,
// success), plus numKnownRuntimeBugs and the per-test results. A runtime that does not start,
// crashes, times out or prints no summary counts as 1 failed. Exits 1 when anything failed.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeBinary } from "./node-binary.mjs";
import { PINNED, runtimeBinary } from "./runtime-binary.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const RESULTS = join(root, ".jest-results");
const RUNTIMES = ["node", "bun", "deno", "workerd"];
/** One runtime's whole suite takes seconds; this only stops a hung one. */
const RUN_TIMEOUT_MS = 3 * 60_000;
/** The line before which the runtime's own output ends (spec/runtimes/harness.mjs). */
const RESULT_MARKER = "PENSTOCK_RUNTIME_RESULT ";

export function runtimeReportPath(runtime) {
  return join(RESULTS, `runtime-${runtime}.json`);
}

/** The packed package in node_modules/penstock of a folder outside the repository, the suite beside it. */
function makeConsumer() {
  if (!existsSync(join(root, "dist", "index.js"))) throw new Error("dist/ is missing: run `npm run build` first (npm test does it in pretest).");
  const dir = mkdtempSync(join(tmpdir(), "penstock-runtimes-"));
  const modules = join(dir, "node_modules");
  mkdirSync(modules);
  // penstock's dependencies (pino, zod) and the suite's tools (esbuild, miniflare) come from the
  // repository's install, linked, so no network is needed.
  for (const entry of readdirSync(join(root, "node_modules"))) {
    if (!entry.startsWith(".") && entry !== "penstock") symlinkSync(join(root, "node_modules", entry), join(modules, entry));
  }
  const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: root, encoding: "utf8" }).trim().split("\n").pop();
  mkdirSync(join(modules, "penstock"));
  execFileSync("tar", ["-xzf", join(dir, packed), "-C", join(modules, "penstock"), "--strip-components=1"]);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "penstock-runtime-consumer", private: true, type: "module" }));
  for (const file of readdirSync(join(root, "spec", "runtimes"))) cpSync(join(root, "spec", "runtimes", file), join(dir, file));
  return dir;
}

/** The command that runs the suite on `runtime`. */
function command(runtime) {
  switch (runtime) {
    case "node":
      return [process.execPath, ["run.mjs"]];
    case "bun":
      return [runtimeBinary("bun"), ["run.mjs"]];
    case "deno":
      // Only what the suite needs: a local server and requests to it, reading node_modules,
      // and pino's hostname and environment lookups.
      return [runtimeBinary("deno"), ["run", "--quiet", "--no-lock", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", "--allow-sys", "run.mjs"]];
    case "workerd":
      return [nodeBinary(22), ["workerd.mjs"]];
    default:
      throw new Error(`test-runtimes: no such runtime "${runtime}"; known: ${RUNTIMES.join(", ")}.`);
  }
}

/** Runs the suite on `runtime` in `dir`; resolves { code, stdout } (stdout also echoed). */
function runSuite(runtime, dir) {
  const [file, args] = command(runtime);
  return new Promise((done) => {
    const child = spawn(file, args, { cwd: dir, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let echoed = 0;
    // Echoed line by line, without the summary line (its content is in the report file).
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const end = stdout.lastIndexOf("\n") + 1;
      for (const line of stdout.slice(echoed, end).split("\n").slice(0, -1)) if (!line.startsWith(RESULT_MARKER)) process.stdout.write(`${line}\n`);
      echoed = Math.max(echoed, end);
    });
    let kill;
    const timer = setTimeout(() => {
      console.error(`${runtime}: the suite ran longer than ${RUN_TIMEOUT_MS / 60_000} minutes; stopping it.`);
      child.kill("SIGTERM");
      kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    }, RUN_TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      done({ code: 1, stdout, error: `could not start: ${error.message}` });
    });
    child.once("close", (code, signal) => {
      const rest = stdout.slice(echoed);
      if (rest !== "" && !rest.startsWith(RESULT_MARKER)) process.stdout.write(`${rest}\n`);
      clearTimeout(timer);
      clearTimeout(kill);
      done({ code: code ?? 1, stdout, error: signal ? `killed by ${signal}` : undefined });
    });
  });
}

/** The report of one run, in jest's JSON fields; a run without a summary is 1 failed. */
function toReport(runtime, { code, stdout, error }) {
  const line = stdout.split("\n").reverse().find((text) => text.startsWith(RESULT_MARKER));
  let summary;
  try {
    summary = line === undefined ? undefined : JSON.parse(line.slice(RESULT_MARKER.length));
  } catch {
    summary = undefined;
  }
  if (summary === undefined) {
    const note = error ?? `exited ${code} without a summary`;
    return { runtime, version: PINNED[runtime], numPassedTests: 0, numFailedTests: 1, numKnownRuntimeBugs: 0, numRuntimeErrorTestSuites: 0, success: false, note, tests: [] };
  }
  // A summary, then a non-zero exit (a crash while closing): counted as a failure too.
  const failed = summary.failed + (code === 0 ? 0 : 1);
  return {
    runtime,
    version: summary.version,
    numPassedTests: summary.passed,
    numFailedTests: failed,
    numKnownRuntimeBugs: summary.known,
    numRuntimeErrorTestSuites: 0,
    success: failed === 0,
    ...(code !== 0 && { note: `exited ${code} after its summary` }),
    features: summary.features,
    tests: summary.tests,
  };
}

async function main(requested) {
  const runtimes = requested.length === 0 ? RUNTIMES : requested;
  const unknown = runtimes.filter((runtime) => !RUNTIMES.includes(runtime));
  if (unknown.length > 0) {
    console.error(`usage: node scripts/test-runtimes.mjs [${RUNTIMES.join("] [")}]  (unknown: ${unknown.join(", ")})`);
    return 2;
  }
  mkdirSync(RESULTS, { recursive: true });
  for (const runtime of runtimes) rmSync(runtimeReportPath(runtime), { force: true });
  let dir;
  let status = 0;
  try {
    dir = makeConsumer();
    for (const runtime of runtimes) {
      console.log(`\n== smoke suite on ${runtime}`);
      let outcome;
      try {
        outcome = await runSuite(runtime, dir);
      } catch (error) {
        // No binary (the registry could not be reached, a bad pin): the runtime fails, it does not vanish.
        outcome = { code: 1, stdout: "", error: `no runtime: ${error.message}` };
      }
      const report = toReport(runtime, outcome);
      writeFileSync(runtimeReportPath(runtime), JSON.stringify(report, null, 2));
      if (report.note) console.log(`${runtime}: ${report.note}`);
      if (!report.success) status = 1;
    }
  } catch (error) {
    // No consumer (no dist/, npm pack failed): every runtime asked for fails.
    console.error(`test-runtimes: ${error.message}`);
    for (const runtime of runtimes) {
      const report = toReport(runtime, { code: 1, stdout: "", error: `not run: ${error.message}` });
      writeFileSync(runtimeReportPath(runtime), JSON.stringify(report, null, 2));
    }
    status = 1;
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
  return status;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
