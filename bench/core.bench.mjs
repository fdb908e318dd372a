// Case "core": a synchronous step with a no-op backend against its hand-written twin, a bare
// AsyncLocalStorage context per call. What is left is penstock's own work per call: the flow
// context frame, the SpanInfo, the span and correlation IDs, observation (order, call edges,
// statistics), the fault shield.
//
//   node bench/core.bench.mjs [--dist dist] [--rounds 31] [--quick]
import { AsyncLocalStorage } from "node:async_hooks";
import { alternatingRounds, caseArgs, costRow, emit, load } from "./support.mjs";

const args = caseArgs();
const penstock = await load(args.dist);
penstock.configure({ backend: { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined } });

const BATCH = 1_000;
const add = (a, b) => a + b;
let sink = 0;

// The twin: one context object per call holding what penstock's frame holds at the least
// (the flow's ID and the running step), entered with als.run(ctx, fn, ...args).
const als = new AsyncLocalStorage();
function twinAdd(a, b) {
  const parent = als.getStore();
  return als.run({ correlationId: parent.correlationId, flow: "core", step: "add" }, add, a, b);
}

const step = penstock.step("add", add, { flow: "core", after: "core" });
const tasks = {
  penstock: () => {
    for (let i = 0; i < BATCH; i++) sink += step(sink & 7, 1);
  },
  twin: () => {
    for (let i = 0; i < BATCH; i++) sink += twinAdd(sink & 7, 1);
  },
};

// Both run inside their flow, as users call steps: penstock inside its entrypoint, the twin
// inside an outer context.
let perRound;
await als.run({ correlationId: "0123456789abcdef0123456789abcdef", flow: "core", step: "core" }, () =>
  penstock.entrypoint("core", async () => {
    perRound = await alternatingRounds(tasks, { rounds: args.rounds, batch: BATCH });
  })(),
);

emit({
  title: "core",
  description: `A sync step with a no-op backend, called from its entrypoint, against \`als.run(ctx, fn, a, b)\` with a fresh context object. Per call; each sample a batch of ${BATCH} calls; ${args.rounds} alternating rounds.`,
  // The goal depends on how AsyncLocalStorage is built: 2.0× where it keys async resources
  // (Node 20, 22), 1.2× where it is built on AsyncContextFrame (24 and later), whose run costs more.
  rows: [costRow("core: sync step, no-op backend", perRound.penstock, perRound.twin, "kResourceStore" in als ? 2.0 : 1.2)],
});
if (sink === -1) console.error("unreachable: keeps the calls from being optimised away");
