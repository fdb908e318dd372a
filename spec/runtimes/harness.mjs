// The smoke suite's runner: plain ESM, no test framework, the same on Node, Bun, Deno and
// workerd. A test is a named async function; it passes when it resolves. A failure listed in
// known-bugs.mjs for this runtime is counted as "known" (with the runtime's issue), apart from
// passed and failed, so it is neither hidden nor mistaken for a penstock regression.
import { KNOWN_BUGS } from "./known-bugs.mjs";

/** The line prefix the summary is printed after (the runtime's own output may come before it). */
export const RESULT_MARKER = "PENSTOCK_RUNTIME_RESULT ";

export class CheckFailed extends Error {}

/** Throws CheckFailed with `message` unless `condition` holds. */
export function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

/** Deep equality through JSON (the suite compares plain data), with both values in the message. */
export function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new CheckFailed(`${what}: expected ${e}, got ${a}`);
}

/**
 * Runs `tests` one after another; returns { runtime, version, passed, failed, known, tests }.
 * `knownBugs` (known-bugs.mjs by default) maps a runtime's test names to the runtime's issue.
 */
export async function runTests(runtime, version, tests, knownBugs = KNOWN_BUGS) {
  const results = [];
  for (const test of tests) {
    const started = Date.now();
    const bug = knownBugs[runtime]?.[test.name];
    try {
      await test();
      // Still listed, but no longer failing: say so, so that the entry gets removed.
      results.push({ name: test.name, status: "passed", ...(bug && { note: `listed as a known runtime bug (${bug}) but passed` }), ms: Date.now() - started });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      results.push({ name: test.name, status: bug === undefined ? "failed" : "known", error: message, ...(bug && { bug }), ms: Date.now() - started });
    }
  }
  return summarize(runtime, version, results);
}

export function summarize(runtime, version, results) {
  const count = (status) => results.filter((result) => result.status === status).length;
  return { runtime, version, passed: count("passed"), failed: count("failed"), known: count("known"), tests: results };
}

/** Prints each result and then the summary line the script in scripts/ reads. */
export function report(summary) {
  for (const test of summary.tests) {
    const note = test.status === "passed" ? (test.note ? ` - ${test.note}` : "") : ` - ${test.error}${test.bug ? ` (known runtime bug: ${test.bug})` : ""}`;
    console.log(`${test.status === "passed" ? "ok  " : test.status === "known" ? "KNOWN" : "FAIL"} ${test.name}${note}`);
  }
  console.log(`${summary.runtime} ${summary.version}: ${summary.passed} passed, ${summary.failed} failed, ${summary.known} known runtime bugs`);
  console.log(RESULT_MARKER + JSON.stringify(summary));
}
