// Where the concurrency case's no-op cost of observation goes (docs/performance.md, "Order
// conformance and statistics"): the concurrency case's flows (10,000 flows × 10 async steps,
// no-op backend), timed for four sides in one process, in alternating rounds:
//   observed   this build, observation on: one reaction per async call (the backend watches nothing)
//   off        this build, configure({ observe: false })
//   before     the build before (--baseline <dist>)
//   reaction   the build before, its backend given one bare `.then(noop, noop)` per async call
// `reaction` − `before` is what the one reaction costs by itself; `observed` − `reaction` is
// what observation adds beyond it. Not a bench/run.mjs case (it needs --baseline).
//
//   node bench/observe-reaction.mjs --dist dist --baseline <dist of the build before> [--rounds 5]
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Bench } from "tinybench";
import { load, median } from "./support.mjs";

const { values: args } = parseArgs({ options: { dist: { type: "string", default: "dist" }, baseline: { type: "string" }, rounds: { type: "string", default: "5" } } });
if (typeof globalThis.gc !== "function") {
  const self = fileURLToPath(import.meta.url);
  process.stdout.write(execFileSync(process.execPath, ["--expose-gc", self, ...process.argv.slice(2)], { encoding: "utf8" }));
  process.exit(0);
}
if (args.baseline === undefined) throw new Error("--baseline <dist of the build before> is required");
const main = await load(args.dist);
const base = await load(args.baseline);
const bare = () => {};
const noop = { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined };
const reacting = {
  name: "reacting",
  span: (_info, run) => {
    const result = run();
    if (result instanceof Promise) result.then(bare, bare);
    return result;
  },
  getCorrelationId: () => undefined,
};
const FLOWS = 10_000;
const work = async (i) => {
  await Promise.resolve();
  return i + 1;
};
function flow(lib, tag) {
  const steps = Array.from({ length: 10 }, (_, i) => lib.step(`${tag}_s${i}`, work, { flow: `reaction_${tag}`, after: i === 0 ? `${tag}_run` : `${tag}_s${i - 1}` }));
  return lib.entrypoint(`${tag}_run`, async (n) => {
    for (const step of steps) n = await step(n);
    return n;
  }, { flow: `reaction_${tag}` });
}
const sides = {
  observed: { run: flow(main, "observed"), backend: noop, observe: true },
  off: { run: flow(main, "off"), backend: noop, observe: false },
  before: { run: flow(base, "before"), backend: noop, observe: true },
  reaction: { run: flow(base, "reaction"), backend: reacting, observe: true },
};
const all = (side) => async () => {
  main.configure({ backend: side.backend, observe: side.observe });
  const flows = new Array(FLOWS);
  for (let i = 0; i < FLOWS; i++) flows[i] = side.run(i);
  await Promise.all(flows);
};
const times = Object.fromEntries(Object.keys(sides).map((name) => [name, []]));
for (let round = 0; round < Number(args.rounds); round++) {
  const names = Object.keys(sides);
  if (round % 2 === 1) names.reverse();
  const bench = new Bench({ iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 });
  for (const name of names) bench.add(name, all(sides[name]), { beforeEach: () => globalThis.gc() });
  await bench.run();
  for (const task of bench.tasks) times[task.name].push(task.result.latency.p50);
}
const ms = (name) => median(times[name]);
const perCall = (a, b) => `${Math.round(((ms(a) - ms(b)) * 1e6) / (FLOWS * 11))} ns`;
console.log(`node ${process.version}, ${Number(args.rounds)} rounds, median of each side's per-round times (ms):`);
for (const name of Object.keys(sides)) console.log(`  ${name.padEnd(9)} ${ms(name).toFixed(1)}  [${times[name].map((t) => t.toFixed(0)).join(" ")}]`);
console.log(`  the bare reaction alone (reaction − before): ${perCall("reaction", "before")} per call`);
console.log(`  observation beyond it (observed − reaction): ${perCall("observed", "reaction")} per call`);
console.log(`  observed / before: ${(ms("observed") / ms("before")).toFixed(2)}×, reaction / before: ${(ms("reaction") / ms("before")).toFixed(2)}×`);
