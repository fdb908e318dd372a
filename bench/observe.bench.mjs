// Case "observe": what order conformance and step statistics add to a call, against the build
// before them (--baseline <dist>, required), both loaded into this one process and measured in
// alternation, round after round. Rows: the added nanoseconds per sync step call with a no-op
// backend (goal < 25 ns), the ratio for a sync and an async step with the logging backend
// (goal < 1.05×), and the bytes an observed pending flow call holds beyond the baseline's
// (goal ≤ 200 B: 100,000 flow calls, each with one step awaiting). Runs itself under
// `node --expose-gc` (a child process) when started without it.
//
//   node bench/observe.bench.mjs --dist dist --baseline <dist of the build before> [--rounds 21] [--quick]
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { alternatingRounds, caseArgs, emit, formatNs, load, median, ratioSummary } from "./support.mjs";

const args = caseArgs({ rounds: 21, quickRounds: 7 });
if (typeof globalThis.gc !== "function") {
  const self = fileURLToPath(import.meta.url);
  process.stdout.write(execFileSync(process.execPath, ["--expose-gc", self, ...process.argv.slice(2)], { encoding: "utf8", maxBuffer: 1 << 24 }));
  process.exit(0);
}
if (args.baseline === undefined) {
  // `npm run bench` without --baseline: nothing to compare with; say how to run it.
  emit({
    title: "observe",
    description: "Needs a build without observation to compare with: `node bench/run.mjs observe --baseline 7502aac` (see docs/performance.md).",
    rows: [],
  });
  process.exit(0);
}
// Both copies share penstock's globalThis slot (configuration, registry, frame store), as an
// ESM and a CJS copy do; each keeps its own observations. Step names differ per copy.
const main = await load(args.dist);
const base = await load(args.baseline);
const noop = { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined };
const logging = main.loggingBackend({ logger: pino({ name: "bench" }, { write() {} }) });

const BATCH = 1_000;
const add = (a, b) => a + b;
const addAsync = async (a, b) => a + b;
let sink = 0;
let made = 0;

/** Rounds of `tasks` run inside an entrypoint of each build (each side in its own flow). */
async function measure(backend, makeTasks, batch) {
  main.configure({ backend });
  const steps = {
    main: makeTasks(main, "main"),
    base: makeTasks(base, "base"),
  };
  // The main side's calls run in main's entrypoint, the baseline's in the baseline's.
  const inFlow = (lib, name, task) => lib.entrypoint(`observe_${name}`, task, { flow: `observe_${name}` });
  const tasks = { main: inFlow(main, "main", steps.main), base: inFlow(base, "base", steps.base) };
  return alternatingRounds(tasks, { rounds: args.rounds, batch });
}

const syncTasks = (lib, name) => {
  const s = lib.step(`add_${name}_${++made}`, add, { flow: `observe_${name}`, after: `observe_${name}` });
  return () => {
    for (let i = 0; i < BATCH; i++) sink += s(sink & 7, 1);
  };
};
const asyncTasks = (lib, name) => {
  const s = lib.step(`add_async_${name}_${++made}`, addAsync, { flow: `observe_${name}`, after: `observe_${name}` });
  return async () => {
    for (let i = 0; i < 100; i++) sink += await s(sink & 7, 1);
  };
};

const noopSync = await measure(noop, syncTasks, BATCH);
const logSync = await measure(logging, syncTasks, BATCH);
const logAsync = await measure(logging, asyncTasks, 100);

const diffs = noopSync.main.map((value, i) => value - noopSync.base[i]);
const addedNs = median(diffs);
const ratioRow = (label, rounds) => {
  const summary = ratioSummary(rounds.main.map((value, i) => value / rounds.base[i]));
  return {
    case: label,
    penstock: formatNs(median(rounds.main)),
    twin: `${formatNs(median(rounds.base))} (before)`,
    ratio: summary.ratio,
    spread: summary.iqr,
    range: [summary.min, summary.max],
    goal: "< 1.05× the build before",
    met: summary.ratio < 1.05,
    rounds: summary.rounds,
  };
};

// Memory: 100,000 flow calls pending at once, each in a step awaiting a promise resolved later.
async function heapUsed() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}
const PENDING = 100_000;
async function pendingBytes(lib, name, backend) {
  main.configure({ backend: typeof backend === "function" ? backend(lib) : backend });
  let gate = Promise.resolve();
  const wait = lib.step(`wait_${name}`, async () => gate, { flow: `pending_${name}`, after: `start_${name}` });
  const start = lib.entrypoint(`start_${name}`, async () => wait(), { flow: `pending_${name}` });
  await start(); // what a first call makes once (its edge, its histogram) is not per flow call
  let release;
  gate = new Promise((resolve) => (release = resolve));
  const before = await heapUsed();
  const calls = [];
  for (let i = 0; i < PENDING; i++) calls.push(start());
  const during = await heapUsed();
  release();
  await Promise.all(calls);
  return (during - before) / PENDING;
}
// Each build twice, alternating; the medians are compared. With the no-op backend, penstock
// watches each pending call's promise itself; with the logging backend (the default), the
// backend's own reaction reports the end, so what is left is the conformance record.
async function pendingRows(backend, label, baseLabel = "before") {
  const bytes = { main: [], base: [] };
  for (let round = 0; round < (args.quick ? 2 : 4); round++) {
    for (const [lib, name] of round % 2 === 0 ? [[main, "main"], [base, "base"]] : [[base, "base"], [main, "main"]]) {
      bytes[name].push(await pendingBytes(lib, `${name}${label}${round}`, backend));
    }
  }
  const added = median(bytes.main) - median(bytes.base);
  return {
    case: `observe: heap per pending flow call (${PENDING.toLocaleString("en")} pending), ${label} backend`,
    penstock: `${Math.round(median(bytes.main))} B`,
    twin: `${Math.round(median(bytes.base))} B (${baseLabel})`,
    ratio: added,
    ratioText: `+${Math.round(added)} B`,
    goal: "≤ 200 B more",
    met: added <= 200,
  };
}
const pendingNoop = await pendingRows(noop, "no-op");
const pendingLogging = await pendingRows(logging, "logging");
// The part of the no-op row that is the one reaction per async call penstock must attach when
// the backend does not watch the promise: the build before, its backend given that bare
// reaction (`.then(noop, noop)`), against this build with the plain no-op backend.
const bare = () => {};
const reacting = { name: "reacting", span: (_info, run) => { const result = run(); if (result instanceof Promise) result.then(bare, bare); return result; }, getCorrelationId: () => undefined };
const pendingReacting = await pendingRows((lib) => (lib === base ? reacting : noop), "no-op (before: + one bare reaction per async call)", "before + bare reaction");

emit({
  title: "observe",
  description:
    `Order conformance and step statistics against the build before them (${args.baseline}), both loaded in this process, in alternating rounds (${args.rounds}): ` +
    `a sync step with a no-op backend (the added nanoseconds per call: the median paired difference), a sync and an async step with the logging backend (ratio), ` +
    `and the heap held by ${PENDING.toLocaleString("en")} pending flow calls (one awaiting step each), per flow call.`,
  rows: [
    {
      case: "observe: added per sync step call, no-op backend",
      penstock: formatNs(median(noopSync.main)),
      twin: `${formatNs(median(noopSync.base))} (before)`,
      ratio: addedNs,
      ratioText: `+${addedNs.toFixed(1)} ns`,
      spread: ratioSummary(diffs).iqr,
      goal: "< 25 ns",
      met: addedNs < 25,
    },
    ratioRow("observe: logging backend, sync step", logSync),
    ratioRow("observe: logging backend, async step", logAsync),
    pendingNoop,
    pendingLogging,
    pendingReacting,
  ],
});
if (sink === -1) console.error("unreachable: keeps the calls from being optimised away");
