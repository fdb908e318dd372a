// Case "log-destination": what the default logger's synchronous destination costs against
// pino's asynchronous one (the default before), per traced call: an entrypoint calling a step,
// four lines, through penstock's logging backend, to /dev/null. /dev/null counts the system
// calls (one write per line synchronously; one per batch of lines asynchronously) but not a
// reader's speed; a named pipe read by `cat` adds the reader (each synchronous write may wake
// it). With a slow reader the synchronous destination waits, the asynchronous one buffers
// (docs/reliability.md). The twin is the asynchronous destination.
//
//   node bench/log-destination.bench.mjs [--dist dist] [--rounds 31] [--quick]
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { alternatingRounds, caseArgs, costRow, emit, load } from "./support.mjs";

const args = caseArgs();
const penstock = await load(args.dist);
const BATCH = 200;

const backendTo = (dest, sync) => penstock.loggingBackend({ logger: pino({ name: "penstock" }, pino.destination({ dest, sync })) });
const syncBackend = backendTo("/dev/null", true);
const asyncBackend = backendTo("/dev/null", false);

// stdout as it often is in production: a pipe, read by another process (here `cat` to /dev/null).
const dir = mkdtempSync(join(tmpdir(), "penstock-bench-"));
const fifos = ["sync", "async"].map((name) => join(dir, name));
const readers = fifos.map((fifo) => {
  execFileSync("mkfifo", [fifo]);
  return spawn("sh", ["-c", `cat "${fifo}" > /dev/null`], { stdio: "ignore" });
});
const pipeSync = backendTo(fifos[0], true);
const pipeAsync = backendTo(fifos[1], false);

const inner = penstock.step("inner", (n) => n + 1, { flow: "destination", after: "outer" });
const outer = penstock.entrypoint("outer", (n) => inner(n), { flow: "destination" });
let sink = 0;

const turn = () => new Promise((resolve) => setImmediate(resolve));
const batchThrough = (backend, yieldAfter) => async () => {
  penstock.configure({ backend });
  for (let i = 0; i < BATCH; i++) sink += outer(i & 7);
  // As in a server: the event loop turns between batches, so the asynchronous destination writes.
  if (yieldAfter) await turn();
};

const turning = await alternatingRounds({ sync: batchThrough(syncBackend, true), async: batchThrough(asyncBackend, true) }, { rounds: args.rounds, batch: BATCH });
const piped = await alternatingRounds({ sync: batchThrough(pipeSync, true), async: batchThrough(pipeAsync, true) }, { rounds: args.rounds, batch: BATCH });
// A busy loop that never yields: the asynchronous destination only buffers.
const busy = await alternatingRounds({ sync: batchThrough(syncBackend, false), async: batchThrough(asyncBackend, false) }, { rounds: args.rounds, batch: BATCH });
emit({
  title: "log-destination",
  description: `An entrypoint calling a step (four pino lines) through the logging backend to /dev/null, and to a named pipe read by \`cat\`: pino.destination({ sync: true }) (penstock's default logger) against pino.destination({ sync: false }) (pino's default). Per call; each sample a batch of ${BATCH} calls; ${args.rounds} alternating rounds.`,
  rows: [
    costRow("log destination: sync over async, the event loop turning", turning.sync, turning.async, 1.5),
    costRow("log destination: sync over async, a loop that never yields", busy.sync, busy.async, 1.5),
    costRow("log destination: sync over async, a pipe read by another process", piped.sync, piped.async, 1.5),
  ],
});
if (sink === -1) console.error("unreachable");
for (const reader of readers) reader.kill();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
