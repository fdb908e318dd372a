// Fault matrix, the default logger (no `logger` given): every line of a completed call reaches
// stdout however the process ends (process.exit, an uncaught exception, SIGTERM/SIGINT with
// Node's default handling, a worker thread that exits or throws), configure() adds no second
// writer, and a stalled reader holds the writer back instead of growing the heap.
// Child processes against dist/ (npm test builds it first), each with a kill-on-hang guard.
import { spawn } from "node:child_process";
import { join } from "node:path";

const SCRIPT = join(__dirname, "fixtures", "default-logger.mjs");
const HANG_GUARD_MS = 60_000;

interface Outcome {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Every complete stdout line, parsed. */
  readonly records: { msg: string; seq: number; step: string }[];
  readonly stderr: string;
  /** The largest heap growth the child reported (stall mode), in bytes. */
  readonly maxHeapGrowth: number;
  readonly hung: boolean;
}

/** Runs the fixture; its stdout is not read for `stallMs` (a slow or stalled reader), then read to the end. */
function run(mode: string, calls: number, stallMs = 500): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", SCRIPT, mode, String(calls)], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let hung = false;
    child.stdout.pause();
    const resume = setTimeout(() => child.stdout.resume(), stallMs);
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const guard = setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, HANG_GUARD_MS);
    child.on("close", (status, signal) => {
      clearTimeout(guard);
      clearTimeout(resume);
      const lines = stdout.split("\n");
      lines.pop(); // what follows the last newline: empty, or a line cut short
      const growths = [...stderr.matchAll(/HEAP (-?\d+)/g)].map((match) => Number(match[1]));
      resolve({ status, signal, records: lines.map((line) => JSON.parse(line)), stderr, maxHeapGrowth: Math.max(0, ...growths), hung });
    });
  });
}

/** The lines of `calls` flow calls, in order: start outer, start inner, end inner, end outer. */
function expectEveryLineInOrder(outcome: Outcome, calls: number): void {
  expect(outcome.records.length).toBe(4 * calls);
  const expected = ["outer:step.start", "inner:step.start", "inner:step.end", "outer:step.end"];
  const wrong = outcome.records.filter((record, index) => record.seq !== Math.floor(index / 4) || `${record.step}:${record.msg}` !== expected[index % 4]);
  expect(wrong.slice(0, 3)).toEqual([]);
}

const CALLS = 4000;

test.each([
  ["process.exit(0)", "exit", 0, null],
  ["an uncaught exception", "uncaught", 1, null],
  ["SIGTERM, Node's default handling", "sigterm", null, "SIGTERM"],
  ["SIGINT, Node's default handling", "sigint", null, "SIGINT"],
  ["a worker thread that calls process.exit(0)", "worker-exit", 0, null],
  ["a worker thread that throws", "worker-throw", 0, null],
  ["configure() before every call (one writer, not one per configure)", "reconfigure", 0, null],
])("the default logger, a slow reader, then %s: every line of every completed call, in order; the process ends as it would without penstock", async (_label, mode, status, signal) => {
  const outcome = await run(mode as string, CALLS);
  expect(outcome.hung).toBe(false);
  expect(outcome.stderr).toContain(`CALLS ${CALLS}`);
  expect(outcome.stderr).not.toContain("SURVIVED");
  expect({ status: outcome.status, signal: outcome.signal }).toEqual({ status, signal });
  expectEveryLineInOrder(outcome, CALLS);
}, HANG_GUARD_MS + 10_000);

test("the default logger, stdout stalled for 3 s during 50,000 calls: the heap stays bounded (the writer waits), and every line arrives", async () => {
  const calls = 50_000;
  const outcome = await run("stall", calls, 3000);
  expect(outcome.hung).toBe(false);
  expect(outcome.status).toBe(0);
  // An unbounded buffer held some 70 MiB here (docs/reliability.md); a waiting writer, a few.
  expect(outcome.maxHeapGrowth).toBeLessThan(16 * 2 ** 20);
  expectEveryLineInOrder(outcome, calls);
}, HANG_GUARD_MS + 10_000);
