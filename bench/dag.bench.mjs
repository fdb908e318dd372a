// Case "dag": generateDag (Mermaid, the default) on one flow of 1,000 and one of 10,000 steps,
// shaped as a chain with branches (every tenth step also follows the step ten back, and the
// steps after a branch point follow it too). Both flows are registered up front; each round
// times both (tinybench, a few runs each), alternating. The ratio is time(10k) / time(1k):
// linear is 10, O(n log n) a little more; the goal is ≤ 15.
//
//   node bench/dag.bench.mjs [--dist dist] [--rounds 11] [--quick]
import { Bench } from "tinybench";
import { caseArgs, emit, load, selfRow } from "./support.mjs";

const args = caseArgs({ rounds: 11, quickRounds: 3 });
const penstock = await load(args.dist);

function register(name, size) {
  const builder = penstock.flow(name);
  const names = ["entry"];
  builder.entrypoint("entry", (x) => x);
  for (let i = 1; i < size; i++) {
    const after = [names[i - 1]];
    if (i % 10 === 0 && i >= 10) after.push(names[i - 10]);
    names.push(`step ${i}`);
    builder.step(`step ${i}`, (x) => x, { after });
  }
}
register("dag_1k", 1_000);
register("dag_10k", 10_000);

const tasks = { "1k": () => penstock.generateDag("dag_1k"), "10k": () => penstock.generateDag("dag_10k") };
const times = { "1k": [], "10k": [] };
for (let round = 0; round < args.rounds; round++) {
  const order = round % 2 === 0 ? ["1k", "10k"] : ["10k", "1k"];
  const bench = new Bench({ iterations: 5, time: 300, warmupIterations: 2, warmupTime: 0 });
  for (const name of order) bench.add(name, tasks[name]);
  await bench.run();
  // The mean, not the median: a 10k drawing's run nearly always includes a garbage collection,
  // a 1k drawing's median run almost never does; the mean charges both their share.
  for (const task of bench.tasks) times[task.name].push(task.result.latency.mean);
}
emit({
  title: "dag",
  description: `generateDag() (Mermaid) on a 1,000- and a 10,000-step flow (a chain with a branch every ten steps); the mean run (garbage collection included) of at least 5 runs or 300 ms per round, ${args.rounds} alternating rounds. The ratio is time(10k) / time(1k).`,
  rows: [selfRow("dag: generateDag, 10k vs 1k steps", times["10k"], times["1k"], ["10k", "1k"], 15)],
});
