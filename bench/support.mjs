// Shared helpers of the bench cases (not a case itself: run.mjs only runs *.bench.mjs files).
//
// The ratio cases measure penstock and its hand-written twin in one process, in alternating
// rounds: on a shared machine two processes a few seconds apart differ by more than what is
// measured. Each round times both (tinybench, each sample a batch of calls), and the round's
// ratio is penstock's median over the twin's; a case reports the median of those ratios and
// their spread (the interquartile range over the rounds).
import { resolve } from "node:path";
import { randomFillSync } from "node:crypto";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Bench } from "tinybench";

/** The command line every case accepts: --dist <dir>, --rounds <n>, --quick (or PENSTOCK_BENCH_QUICK=1). */
export function caseArgs(defaults = {}) {
  const { values } = parseArgs({
    options: {
      dist: { type: "string" },
      baseline: { type: "string" },
      rounds: { type: "string" },
      quick: { type: "boolean", default: false },
      child: { type: "string" },
    },
    allowPositionals: true,
  });
  const dist = values.dist ?? new URL("../dist", import.meta.url).pathname;
  // bench/run.mjs --quick sets PENSTOCK_BENCH_QUICK=1; --quick does the same for one case.
  const quick = values.quick || process.env.PENSTOCK_BENCH_QUICK === "1";
  const rounds = Number(values.rounds ?? (quick ? defaults.quickRounds ?? 9 : defaults.rounds ?? 31));
  return { ...values, dist, rounds, quick };
}

/** Imports an entry of a build: "index", "otel" or "testing". */
export const load = (dist, entry = "index") => import(pathToFileURL(resolve(dist, `${entry}.js`)).href);

export const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const quantile = (numbers, q) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
};

/**
 * The median of the per-round ratios and their spread: the interquartile range (the middle
 * half of the rounds), which a few rounds disturbed by other work on the machine do not
 * stretch as they stretch min-max (also kept, with every round, in the JSON).
 */
export function ratioSummary(ratios) {
  return { ratio: median(ratios), iqr: [quantile(ratios, 0.25), quantile(ratios, 0.75)], min: Math.min(...ratios), max: Math.max(...ratios), rounds: ratios };
}

export const formatNs = (value) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} µs` : `${value.toFixed(value >= 100 ? 0 : 1)} ns`);
export const formatMs = (value) => `${value.toFixed(value >= 100 ? 0 : 1)} ms`;

/**
 * Times `tasks` ({ name: fn } or { name: { fn, options } }) in `rounds` alternating rounds; each sample of a task is one
 * call of its function, which should run `batch` calls of what is measured. Returns, per task,
 * the per-call median of every round (ns).
 */
// Rounds are short (60 ms a task) and many: on a loaded machine the load shifts within
// seconds, and only two tasks timed moments apart see the same machine. The median of many
// short rounds' ratios is steadier than a few long rounds.
export async function alternatingRounds(tasks, { rounds, batch, time = 60, warmupTime = 15 }) {
  const names = Object.keys(tasks);
  const perRound = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    const bench = new Bench({ time, warmupTime });
    // A task is a function, or { fn, options } with tinybench's hooks (beforeAll: a setting of its own).
    for (const name of order) {
      const task = tasks[name];
      if (typeof task === "function") bench.add(name, task);
      else bench.add(name, task.fn, task.options);
    }
    await bench.run();
    for (const task of bench.tasks) perRound[task.name].push((task.result.latency.p50 * 1e6) / batch);
  }
  return perRound;
}

/** A table row from two per-round series: ratio = penstock / twin per round (lower is better). */
export function costRow(label, penstockRounds, twinRounds, goal, format = formatNs) {
  const summary = ratioSummary(penstockRounds.map((value, i) => value / twinRounds[i]));
  return {
    case: label,
    penstock: format(median(penstockRounds)),
    twin: format(median(twinRounds)),
    ratio: summary.ratio,
    spread: summary.iqr,
    range: [summary.min, summary.max],
    goal: `≤ ${goal}×`,
    met: summary.ratio <= goal,
    rounds: summary.rounds,
  };
}

/**
 * A row of penstock against itself (no twin): `over` / `under` per round, each shown with its
 * name ("100k", "10k"), with an upper bound as the goal or none.
 */
export function selfRow(label, over, under, [overName, underName], goal) {
  const summary = ratioSummary(over.map((value, i) => value / under[i]));
  return {
    case: label,
    penstock: `${formatMs(median(over))} (${overName}), ${formatMs(median(under))} (${underName})`,
    twin: "—",
    ratio: summary.ratio,
    spread: summary.iqr,
    range: [summary.min, summary.max],
    goal: goal === undefined ? "—" : `≤ ${goal}`,
    met: goal === undefined ? undefined : summary.ratio <= goal,
    rounds: summary.rounds,
  };
}

// IDs for the twins, made as cheaply as penstock makes them (lib/context/ids.ts): correlation IDs from a
// pooled random fill, span IDs as two random halves from two tables refilled
// every 65,536 IDs. A twin making its IDs a slower way would flatter penstock.
const POOL = Buffer.allocUnsafe(4096);
let offset = POOL.length;

/**
 * `bytes` random bytes as hex: a flat string, as `randomBytes(n).toString("hex")` gives a user
 * (a string built by concatenation is a rope, which pino's escaping reads slower on every line).
 */
export function randomHex(bytes) {
  if (offset + bytes > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const hex = POOL.toString("hex", offset, offset + bytes);
  offset += bytes;
  return hex;
}

const lowHalves = [];
const highHalves = [];
let spanIdsMade = 65_536;

/** A 16-hex span ID, as penstock's newSpanId makes it. */
export function spanId() {
  if (spanIdsMade === 65_536) {
    lowHalves.length = 0;
    highHalves.length = 0;
    for (let i = 0; i < 256; i++) lowHalves.push(randomHex(4));
    for (let i = 0; i < 256; i++) highHalves.push(randomHex(4));
    spanIdsMade = 0;
  }
  const k = spanIdsMade++;
  return lowHalves[k & 255] + highHalves[k >>> 8];
}

/** Prints a case's result for run.mjs. */
export function emit(result) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
