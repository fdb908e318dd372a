// Case "registry": registering 10,000 steps (100 flows of 100) and 100,000 steps (1,000 flows
// of 100) through the public API (flow(name).entrypoint / .step with `after`), each size in a
// fresh process, alternating; time(100k) / time(10k) per pair of runs. Linear is 10; the goal
// is ≤ 12. The getRegistry() snapshot after registering is timed too. And re-registering a step
// with 50,000 predecessors in another order (the same registration: a no-op) against its first
// registration, in one process: linear is about 1×, the quadratic comparison it replaced 60–100×.
//
//   node bench/registry.bench.mjs [--dist dist] [--rounds 7] [--quick]
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { caseArgs, emit, load, selfRow } from "./support.mjs";

const args = caseArgs({ rounds: 7, quickRounds: 3 });
const STEPS_PER_FLOW = 100;

/** The fastest of `rounds` runs of `fn`, in ms. */
function fastest(rounds, fn) {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    fn();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

if (args.child === "wide") {
  const penstock = await load(args.dist);
  const predecessors = Array.from({ length: 50_000 }, (_, i) => `p${i}`);
  const shuffled = [...predecessors].reverse();
  let round = 0;
  // One registration site, so that the second registration of a step is the same one.
  const join = (after) => penstock.step(`join_${++round}`, () => 0, { flow: "wide", after });
  const first = fastest(3, () => join(predecessors));
  round = 0;
  const again = fastest(3, () => join(shuffled));
  emit({ first, again });
} else if (args.child !== undefined) {
  const flows = Number(args.child);
  const penstock = await load(args.dist);
  const fn = (x) => x;
  const started = performance.now();
  for (let f = 0; f < flows; f++) {
    const builder = penstock.flow(`flow_${f}`);
    let previous = builder.entrypoint(`entry_${f}`, fn);
    for (let s = 1; s < STEPS_PER_FLOW; s++) previous = builder.step(`step_${f}_${s}`, fn, { after: previous });
  }
  const registered = performance.now();
  penstock.getRegistry();
  const snapshot = performance.now();
  emit({ register: registered - started, snapshot: snapshot - registered });
} else {
  const self = fileURLToPath(import.meta.url);
  const run = (flows) => JSON.parse(execFileSync(process.execPath, [self, "--dist", args.dist, "--child", String(flows)], { encoding: "utf8" }));
  const small = [];
  const large = [];
  for (let round = 0; round < args.rounds; round++) {
    if (round % 2 === 0) {
      small.push(run(100));
      large.push(run(1_000));
    } else {
      large.push(run(1_000));
      small.push(run(100));
    }
  }
  const wide = Array.from({ length: args.rounds }, () => JSON.parse(execFileSync(process.execPath, [self, "--dist", args.dist, "--child", "wide"], { encoding: "utf8" })));
  const sizes = ["100k", "10k"];
  emit({
    title: "registry",
    description: `Registering ${STEPS_PER_FLOW}-step flows (an entrypoint and a chain of steps, each \`after\` the previous wrapped function) through \`flow(name)\`: 100 flows (10k steps) and 1,000 flows (100k steps), each in a fresh process, ${args.rounds} alternating pairs. The ratio is time(100k) / time(10k); and a step with 50,000 predecessors registered again in another order, the fastest of three, against its first registration, ${args.rounds} processes.`,
    rows: [
      selfRow("registry: register 100k vs 10k steps", large.map((l) => l.register), small.map((s) => s.register), sizes, 12),
      selfRow("registry: getRegistry() snapshot, 100k vs 10k", large.map((l) => l.snapshot), small.map((s) => s.snapshot), sizes),
      selfRow("registry: re-register a step with 50,000 predecessors (another order) vs its first registration", wide.map((w) => w.again), wide.map((w) => w.first), ["again", "first"], 2),
    ],
  });
}
