// Case "registry": registering 10,000 steps (100 flows of 100) and 100,000 steps (1,000 flows
// of 100) through the public API (flow(name).entrypoint / .step with `after`), each size in a
// fresh process, alternating; time(100k) / time(10k) per pair of runs. Linear is 10; the goal
// is ≤ 12. The getRegistry() snapshot after registering is timed too.
//
//   node bench/registry.bench.mjs [--dist dist] [--rounds 7] [--quick]
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { caseArgs, emit, formatMs, load, median, ratioSummary } from "./support.mjs";

const args = caseArgs({ rounds: 7, quickRounds: 3 });
const STEPS_PER_FLOW = 100;

if (args.child !== undefined) {
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
  const row = (label, key, goal) => {
    const summary = ratioSummary(large.map((l, i) => l[key] / small[i][key]));
    return {
      case: label,
      penstock: `${formatMs(median(large.map((l) => l[key])))} (100k), ${formatMs(median(small.map((s) => s[key])))} (10k)`,
      twin: "—",
      ratio: summary.ratio,
      spread: summary.iqr,
      range: [summary.min, summary.max],
      goal: goal === undefined ? "—" : `≤ ${goal}`,
      met: goal === undefined ? undefined : summary.ratio <= goal,
      rounds: summary.rounds,
    };
  };
  emit({
    title: "registry",
    description: `Registering ${STEPS_PER_FLOW}-step flows (an entrypoint and a chain of steps, each \`after\` the previous wrapped function) through \`flow(name)\`: 100 flows (10k steps) and 1,000 flows (100k steps), each in a fresh process, ${args.rounds} alternating pairs. The ratio is time(100k) / time(10k).`,
    rows: [row("registry: register 100k vs 10k steps", "register", 12), row("registry: getRegistry() snapshot, 100k vs 10k", "snapshot")],
  });
}
