// Case "step call": what penstock adds to a call, with a backend that does nothing, so that
// penstock's own work is what is measured (the wrapper, the flow context, drift recording).
//
//   node bench/step-call.bench.mjs [--dist dist] [--baseline <another build's dist>] [--rounds 15]
//
// Prints JSON for bench/run.mjs. With --baseline, both builds are loaded into this one process
// and measured in alternation, round after round: on a busy machine two processes a few
// seconds apart differ by more than what is measured here. (Both copies share penstock's
// globalThis slot, as an ESM and a CJS copy do, so the baseline must be a build whose slot has
// the same shape.) The copy loaded first gets a small edge of its own; bench/run.mjs runs the
// case a second time with the roles swapped to cancel it.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Bench } from "tinybench";

const { values } = parseArgs({ options: { dist: { type: "string" }, baseline: { type: "string" }, rounds: { type: "string", default: "15" } } });
const load = (dist) => import(pathToFileURL(resolve(dist, "index.js")).href);
const main = await load(values.dist ?? new URL("../dist", import.meta.url).pathname);
const baseline = values.baseline === undefined ? undefined : await load(values.baseline);

main.configure({ backend: { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined } });

// Each sample is a batch of calls, so that the timer's own cost and resolution do not drown
// a call that takes a fraction of a microsecond; results are reported per call.
const BATCH = 1_000;
const add = (a, b) => a + b;
let sink = 0;
const batchOf = (fn) => () => {
  for (let i = 0; i < BATCH; i++) sink += fn(sink & 7, 1);
};

// Called from the "bench" entrypoint (the whole run happens inside it): with drift recording,
// the edge bench -> add is stored on the first call, and every later call only finds it again.
const STEP = "step called inside its flow";
const tasks = [
  ["plain function call (reference)", batchOf(add)],
  [STEP, batchOf(main.step("add", add, { flow: "bench", after: "bench" }))],
];
if (baseline !== undefined) tasks.push([`${STEP} (baseline)`, batchOf(baseline.step("add (baseline)", add, { flow: "bench", after: "bench" }))]);

const perRound = new Map(tasks.map(([name]) => [name, []]));
await main.entrypoint(
  "bench",
  async () => {
    for (let round = 0; round < Number(values.rounds); round++) {
      // Alternate the order, so that neither build always runs right after the other.
      const order = round % 2 === 0 ? tasks : [...tasks].reverse();
      const bench = new Bench({ time: 200, warmupTime: 50 });
      for (const [name, fn] of order) bench.add(name, fn);
      await bench.run();
      for (const task of bench.tasks) perRound.get(task.name).push((task.result.latency.p50 * 1e6) / BATCH);
    }
  },
  { flow: "bench" },
)();

process.stdout.write(
  `${JSON.stringify({
    title: "step call",
    description: `A wrapped synchronous step called from its flow's entrypoint, with a no-op backend. Per call: the median, over ${values.rounds} rounds, of each round's median batch of ${BATCH} calls.`,
    perRound: Object.fromEntries(perRound),
    // Current and baseline measured moments apart, round by round.
    paired: baseline === undefined ? undefined : { task: STEP, main: perRound.get(STEP), baseline: perRound.get(`${STEP} (baseline)`) },
  })}\n`,
);
if (sink === -1) console.error("unreachable: keeps the calls from being optimised away");
