// The concurrency case's no-op side (10,000 flows × 10 async steps, `span: (info, run) => run()`)
// for several builds of penstock loaded into one process, with the ALS twin, timed in
// alternating rounds (the order reversed every other round). Each figure is the process's CPU
// time (user + system) for one run of all the flows, the median of three per round after a full
// garbage collection: on a shared machine CPU time moves less with the other processes than the
// wall clock. It prints, per build, the median time, its throughput against the twin and
// against the floor twin (one bare reaction per async call as well, the least an exact end of
// each call costs), and its time against the first build's in the same round (median and
// interquartile range). Not a
// bench/run.mjs case: it compares builds (docs/performance.md, "Order conformance and statistics").
//
//   node bench/concurrency-builds.mjs --dists dist,.bench/<sha>/dist [--rounds 9]
import { AsyncLocalStorage } from "node:async_hooks";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { load, median, randomHex, spanId } from "./support.mjs";

const { values: args } = parseArgs({ options: { dists: { type: "string", default: "dist" }, rounds: { type: "string", default: "9" } } });
if (typeof globalThis.gc !== "function") {
  const self = fileURLToPath(import.meta.url);
  process.stdout.write(execFileSync(process.execPath, ["--expose-gc", self, ...process.argv.slice(2)], { encoding: "utf8" }));
  process.exit(0);
}
const dists = args.dists.split(",");
const noop = { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined };
const FLOWS = 10_000;
const STEPS = 10;
const work = async (i) => {
  await Promise.resolve();
  return i + 1;
};

function flow(lib, tag) {
  const steps = Array.from({ length: STEPS }, (_, i) => lib.step(`${tag}_s${i}`, work, { flow: `builds_${tag}`, after: i === 0 ? `${tag}_run` : `${tag}_s${i - 1}` }));
  return lib.entrypoint(`${tag}_run`, async (n) => {
    for (const step of steps) n = await step(n);
    return n;
  }, { flow: `builds_${tag}` });
}

// The twin of bench/concurrency.bench.mjs (no logging): als.run per flow and per step.
const als = new AsyncLocalStorage();
const twinStep = (name, fn) => (n) => {
  const parent = als.getStore();
  return als.run({ correlationId: parent.correlationId, flow: "builds", step: name, spanId: spanId() }, () => fn(n));
};
const twinSteps = Array.from({ length: STEPS }, (_, i) => twinStep(`s${i}`, work));
const twinBody = twinStep("run", async (n) => {
  for (const step of twinSteps) n = await step(n);
  return n;
});
const twin = (n) => als.run({ correlationId: randomHex(16), flow: "builds", step: undefined, spanId: undefined }, twinBody, n);
// The floor: the twin with one bare reaction per async call, the least that learning each
// call's end costs (bench/concurrency.bench.mjs, twinStep).
const ignore = () => {};
const reacting = (call) => (n) => {
  const promise = call(n);
  promise.then(ignore, ignore);
  return promise;
};
const floorStep = (name, fn) => {
  const inner = twinStep(name, fn);
  return reacting(inner);
};
const floorSteps = Array.from({ length: STEPS }, (_, i) => floorStep(`s${i}`, work));
const floorBody = floorStep("run", async (n) => {
  for (const step of floorSteps) n = await step(n);
  return n;
});
const floor = (n) => als.run({ correlationId: randomHex(16), flow: "builds", step: undefined, spanId: undefined }, floorBody, n);

const sides = [{ name: "twin", run: twin }, { name: "floor", run: floor }];
for (const [i, dist] of dists.entries()) {
  const lib = await load(dist);
  lib.configure({ backend: noop });
  sides.push({ name: dist, run: flow(lib, `b${i}`) });
}
const all = async (run) => {
  const flows = new Array(FLOWS);
  for (let i = 0; i < FLOWS; i++) flows[i] = run(i);
  await Promise.all(flows);
};
const cpuMs = async (run) => {
  globalThis.gc();
  const before = process.cpuUsage();
  await all(run);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};

const times = new Map(sides.map((side) => [side.name, []]));
for (let warm = 0; warm < 2; warm++) for (const side of sides) await all(side.run);
for (let round = 0; round < Number(args.rounds); round++) {
  for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
    const runs = [await cpuMs(side.run), await cpuMs(side.run), await cpuMs(side.run)];
    times.get(side.name).push(median(runs));
  }
}
const spread = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))].toFixed(3);
  return `${median(sorted).toFixed(3)} [${at(0.25)}–${at(0.75)}]`;
};
const twinTimes = times.get("twin");
const first = times.get(dists[0]);
const floorTimes = times.get("floor");
console.log(`Node ${process.version}, ${args.rounds} rounds; twin ${median(twinTimes).toFixed(1)} ms CPU`);
console.log(`floor (the twin with one bare reaction per async call): ${median(floorTimes).toFixed(1)} ms, throughput vs twin ${spread(twinTimes.map((t, i) => t / floorTimes[i]))}`);
for (const dist of dists) {
  const own = times.get(dist);
  console.log(`${dist}: ${median(own).toFixed(1)} ms, throughput vs twin ${spread(twinTimes.map((t, i) => t / own[i]))}, vs floor ${spread(floorTimes.map((t, i) => t / own[i]))}, time vs ${dists[0]} ${spread(own.map((t, i) => t / first[i]))}`);
}
