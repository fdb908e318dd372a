// Fault matrix, log destination faults (pino backend): a destination that cannot be written
// (ENOSPC on /dev/full, sync and async; a destroyed destination; EPIPE on a closed stdout pipe)
// never changes a result, and the process neither crashes nor hangs because of penstock.
// Child processes against dist/ (npm test builds it first), each with a kill-on-hang guard.
import { spawn } from "node:child_process";
import { join } from "node:path";

const SCRIPT = join(__dirname, "fixtures", "log-destination.mjs");
const HANG_GUARD_MS = 60_000;

interface Outcome {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly result: { ok: boolean; calls: number; destinationErrors: number } | undefined;
  readonly stderr: string;
  readonly hung: boolean;
}

/**
 * Runs the fixture. With closeStdout, the read end of the child's stdout pipe is closed at
 * once (EPIPE on its writes). With killAfterResult, the child is stopped once it has reported
 * (for pino's own exit flush, which spins on /dev/full; see docs/reliability.md).
 */
function run(mode: string, { closeStdout = false, killAfterResult = false } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, mode], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let hung = false;
    let killedAfterResult = false;
    if (closeStdout) child.stdout.destroy();
    else child.stdout.resume();
    const guard = setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, HANG_GUARD_MS);
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      if (killAfterResult && /RESULT .*\n/.test(stderr) && !killedAfterResult) {
        killedAfterResult = true;
        child.kill("SIGKILL");
      }
    });
    child.on("close", (status, signal) => {
      clearTimeout(guard);
      const line = /RESULT (.*)\n/.exec(stderr);
      resolve({ status, signal: killedAfterResult ? null : signal, result: line === null ? undefined : JSON.parse(line[1]!), stderr, hung });
    });
  });
}

test.each([
  ["/dev/full through a sync destination (ENOSPC)", "full-sync"],
  ["a destroyed destination", "destroyed"],
  ["an async destination on stdout, whose reader has gone (EPIPE)", "epipe"],
  ["penstock's default logger on stdout, whose reader has gone (EPIPE)", "default-epipe"],
])("%s: every result unchanged, the process exits normally", async (_label, mode) => {
  const outcome = await run(mode, { closeStdout: mode.endsWith("epipe") });
  expect(outcome.hung).toBe(false);
  expect(outcome.result).toEqual({ ok: true, calls: 6000, destinationErrors: 0 });
  expect(outcome.status).toBe(0);
  expect(outcome.signal).toBeNull();
}, HANG_GUARD_MS + 10_000);

test("/dev/full through an async destination (ENOSPC, with the application's error listener): every result unchanged", async () => {
  const outcome = await run("full-async", { killAfterResult: true });
  expect(outcome.hung).toBe(false);
  expect(outcome.result?.ok).toBe(true);
  expect(outcome.result?.calls).toBe(6000);
  // The write errors went to the destination's listener, not to the calls.
  expect(outcome.result?.destinationErrors).toBeGreaterThan(0);
}, HANG_GUARD_MS + 10_000);
