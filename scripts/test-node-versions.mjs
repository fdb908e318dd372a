#!/usr/bin/env node
// The jest suite on the pinned Node builds of scripts/node-binary.mjs, and the summary of every
// run's jest JSON report, for .ci/run.
//
//   node scripts/test-node-versions.mjs run 22 24 26        jest (only jest: dist/ is reused) on
//       each pinned Node, that Node's directory first on PATH so that the `node` and
//       process.execPath of the specs' child processes are the same version; the report of each
//       goes to .jest-results/node-<major>.json. Exits 1 when any run failed.
//   node scripts/test-node-versions.mjs summary 20 22 24 26  one line per version, then, as the
//       very last line, "N passed, N failed" summed over those reports, after the names of the
//       failed tests (the first 20, each with its failure's first line). Exits 1 when any failed.
//       A name instead of a major (node, bun, deno, workerd) counts the runtime smoke suite's
//       report of scripts/test-runtimes.mjs, .jest-results/runtime-<name>.json, the same way;
//       its tests that fail for a known runtime bug (spec/runtimes/known-bugs.mjs) are shown on
//       its line and counted neither passed nor failed.
//
// Failed counts jest's numFailedTests + numRuntimeErrorTestSuites; a missing or unreadable
// report (jest never ran or died) counts as 1 failed, and so does a report of an unsuccessful
// run with nothing else failed (so that the total never says 0 failed of a failed run).
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeBinary, PINNED } from "./node-binary.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const RESULTS = join(root, ".jest-results");
/** A jest run that takes longer than this is stopped (one run takes about a minute). */
const RUN_TIMEOUT_MS = 5 * 60_000;

/** A Node major's jest report, or the smoke suite's report of a runtime (scripts/test-runtimes.mjs). */
export function reportPath(major) {
  return join(RESULTS, isMajor(major) ? `node-${major}.json` : `runtime-${major}.json`);
}

function isMajor(name) {
  return /^[0-9]+$/.test(String(name));
}

/** { passed, failed, note } of one run's report. */
export function countsOf(major) {
  let report;
  try {
    report = JSON.parse(readFileSync(reportPath(major), "utf8"));
  } catch (error) {
    const what = isMajor(major) ? "jest" : "the smoke suite";
    return { passed: 0, failed: 1, note: error.code === "ENOENT" ? `no report: ${what} did not run or did not finish` : `unreadable report: ${error.message}` };
  }
  const passed = report.numPassedTests ?? 0;
  let failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  const known = report.numKnownRuntimeBugs ?? 0;
  let note = report.note ?? "";
  if (failed === 0 && report.success === false) {
    failed = 1;
    note ||= "jest reported the run unsuccessful";
  }
  if (known > 0) note = [note, `${known} known runtime bug${known === 1 ? "" : "s"}, see docs/runtimes.md`].filter(Boolean).join("; ");
  return { passed, failed, known, note, version: report.version };
}

const MAX_FAILURES_LISTED = 20;

/** "  Node 20 spec/x.spec.ts › describe › test: first line of the failure", one per failed test or suite. */
export function failuresOf(major) {
  let report;
  try {
    report = JSON.parse(readFileSync(reportPath(major), "utf8"));
  } catch {
    return [];
  }
  const label = isMajor(major) ? `Node ${major}` : major;
  const firstLine = (text) => String(text ?? "").split("\n").map((l) => l.trim()).find(Boolean)?.slice(0, 300) ?? "";
  const lines = [];
  for (const suite of report.testResults ?? []) {
    const file = String(suite.name ?? "").replace(`${root}/`, "");
    const failed = (suite.assertionResults ?? []).filter((test) => test.status === "failed");
    for (const test of failed) lines.push(`  ${label} ${file} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    if (failed.length === 0 && suite.status === "failed") lines.push(`  ${label} ${file}: ${firstLine(suite.message)}`);
  }
  for (const test of report.tests ?? []) {
    if (test.status === "failed") lines.push(`  ${label} ${test.name}: ${firstLine(test.error)}`);
  }
  return lines;
}

function runJest(major) {
  const output = reportPath(major);
  rmSync(output, { force: true });
  let node;
  try {
    node = nodeBinary(major);
  } catch (error) {
    console.error(`Node ${major}: no binary: ${error.message}`);
    return Promise.resolve(1);
  }
  const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ""}` };
  const args = [join(root, "node_modules", "jest", "bin", "jest.js"), "--ci", "--json", `--outputFile=${output}`];
  return new Promise((done) => {
    const child = spawn(node, args, { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
    let kill;
    const timer = setTimeout(() => {
      console.error(`Node ${major}: jest ran longer than ${RUN_TIMEOUT_MS / 60_000} minutes; stopping it.`);
      child.kill("SIGTERM");
      kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    }, RUN_TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      console.error(`Node ${major}: could not run jest: ${error.message}`);
      done(1);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(kill);
      done(code ?? (signal ? 1 : 0));
    });
  });
}

function line(major, { passed, failed, note, version }) {
  const label = isMajor(major) ? `Node ${major}` : `Smoke suite on ${major}${version ? ` ${version}` : ""}`;
  return `${label}: ${passed} passed, ${failed} failed${note ? ` (${note})` : ""}`;
}

async function main([mode, ...majors]) {
  if ((mode !== "run" && mode !== "summary") || majors.length === 0) {
    console.error(`usage: node scripts/test-node-versions.mjs run|summary <major>...  (pinned: ${JSON.stringify(PINNED)})`);
    return 2;
  }
  mkdirSync(RESULTS, { recursive: true });
  if (mode === "run") {
    let status = 0;
    for (const major of majors) {
      console.log(`\n== Node ${major} (${PINNED[major] ?? "not pinned"}): jest`);
      const code = await runJest(major);
      const counts = countsOf(major);
      console.log(line(major, counts));
      if (code !== 0 || counts.failed > 0) status = 1;
    }
    return status;
  }
  let passed = 0;
  let failed = 0;
  let known = 0;
  console.log("");
  for (const major of majors) {
    const counts = countsOf(major);
    console.log(line(major, counts));
    passed += counts.passed;
    failed += counts.failed;
    known += counts.known ?? 0;
  }
  if (known > 0) console.log(`Known runtime bugs, counted neither passed nor failed: ${known} (docs/runtimes.md)`);
  // Named here, next to the total, because a long log is often read from its end only.
  const failures = majors.flatMap((major) => failuresOf(major));
  if (failures.length > 0) console.log(["Failed:", ...failures.slice(0, MAX_FAILURES_LISTED), ...(failures.length > MAX_FAILURES_LISTED ? [`  … and ${failures.length - MAX_FAILURES_LISTED} more`] : [])].join("\n"));
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
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
