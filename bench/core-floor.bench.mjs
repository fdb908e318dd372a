// Case "core-floor": the least that any implementation of penstock's published contract must do
// per sync step call, written by hand as cheaply as we can, against the core case's twin (one
// `als.run`), and penstock against that floor. What the contract asks of every call: the flow
// context entered for the call (its own frame: the flow's ID, the step, a fresh span ID), a
// SpanInfo handed to the backend's `span(info, run)` with a `run` of its own, and the call
// counted where `flowStats()` and `diffDag()` read it (the call, its caller edge, the order bit).
// Its fault shield is the least one, with no fault reports; no configuration read, no sampled
// clock. So "floor vs twin" is what the contract itself costs over a bare context switch, and
// "penstock vs floor" what penstock adds beyond it.
//
//   node bench/core-floor.bench.mjs [--dist dist] [--rounds 31] [--quick]
import { AsyncLocalStorage } from "node:async_hooks";
import { alternatingRounds, caseArgs, costRow, emit, load, spanId } from "./support.mjs";

const args = caseArgs();
const penstock = await load(args.dist);
const noop = { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined };
penstock.configure({ backend: noop });

const BATCH = 1_000;
const add = (a, b) => a + b;
let sink = 0;

// The twin of the core case: one context object per call, entered with als.run.
const als = new AsyncLocalStorage();
function twinAdd(a, b) {
  const parent = als.getStore();
  return als.run({ correlationId: parent.correlationId, flow: "core", step: "add" }, add, a, b);
}

// The floor: the contract's work per call and nothing else. Its shield is the least one: the
// function runs once and its own value reaches the caller whatever the backend returns.
const EMPTY = Object.freeze({});
const record = { calls: 0, edgeCount: 0, caller: "core", bit: 2 };
const flowCall = { finished: 0 };
function floorAdd(a, b) {
  const parent = als.getStore();
  const frame = { correlationId: parent.correlationId, flow: "core", step: "add", spanId: spanId(), flowCall };
  const info = { flow: "core", step: "add", kind: "step", correlationId: frame.correlationId, attributes: EMPTY, spanId: frame.spanId, parentSpanId: parent.spanId };
  if (parent.step === record.caller) record.edgeCount++;
  return als.run(frame, () => {
    let ran = false;
    let value;
    const returned = noop.span(info, () => {
      ran = true;
      return (value = add(a, b));
    });
    record.calls++;
    flowCall.finished |= record.bit;
    return ran ? value : returned;
  });
}

// The floor again, its SpanInfo and run kept where the backend could read them later: with the
// no-op backend V8 can leave both unmade (escape analysis); a backend that reads them makes
// every implementation, this floor included, pay for them.
let kept;
function keptFloorAdd(a, b) {
  const parent = als.getStore();
  const frame = { correlationId: parent.correlationId, flow: "core", step: "add", spanId: spanId(), flowCall };
  const info = { flow: "core", step: "add", kind: "step", correlationId: frame.correlationId, attributes: EMPTY, spanId: frame.spanId, parentSpanId: parent.spanId };
  if (parent.step === record.caller) record.edgeCount++;
  return als.run(frame, () => {
    let ran = false;
    let value;
    const run = () => {
      ran = true;
      return (value = add(a, b));
    };
    kept = { info, run };
    const returned = noop.span(info, run);
    record.calls++;
    flowCall.finished |= record.bit;
    return ran ? value : returned;
  });
}

const step = penstock.step("add", add, { flow: "core", after: "core" });
const tasks = {
  penstock: () => {
    for (let i = 0; i < BATCH; i++) sink += step(sink & 7, 1);
  },
  // The same step with observation off (configure({ observe: false }), set before each task's samples).
  unobserved: {
    fn: () => {
      for (let i = 0; i < BATCH; i++) sink += step(sink & 7, 1);
    },
    options: { beforeAll: () => penstock.configure({ backend: noop, observe: false }), afterAll: () => penstock.configure({ backend: noop, observe: true }) },
  },
  floor: () => {
    for (let i = 0; i < BATCH; i++) sink += floorAdd(sink & 7, 1);
  },
  keptFloor: () => {
    for (let i = 0; i < BATCH; i++) sink += keptFloorAdd(sink & 7, 1);
  },
  twin: () => {
    for (let i = 0; i < BATCH; i++) sink += twinAdd(sink & 7, 1);
  },
};

let perRound;
await als.run({ correlationId: "0123456789abcdef0123456789abcdef", flow: "core", step: "core", spanId: spanId() }, () =>
  penstock.entrypoint("core", async () => {
    perRound = await alternatingRounds(tasks, { rounds: args.rounds, batch: BATCH });
  })(),
);

const goal = "kResourceStore" in als ? 2.0 : 1.2;
emit({
  title: "core-floor",
  description: `What the contract itself costs per sync step call: a hand-written floor (its own frame entered with \`als.run\`, a fresh span ID, the SpanInfo, \`span(info, run)\` with a run of its own, three counts) against the core twin (one \`als.run\`), and penstock against the floor. Per call; each sample a batch of ${BATCH} calls; ${args.rounds} alternating rounds.`,
  rows: [
    { ...costRow("core floor: the contract's least per call vs als.run", perRound.floor, perRound.twin, goal), goal: `core's goal: ≤ ${goal}×` },
    { ...costRow("core floor, its SpanInfo and run kept (as for a backend that reads them), vs als.run", perRound.keptFloor, perRound.twin, goal), goal: `core's goal: ≤ ${goal}×` },
    { ...costRow("core: penstock vs the floor", perRound.penstock, perRound.floor, 1), goal: "—", met: undefined },
    { ...costRow("core: penstock, configure({ observe: false }), vs the floor", perRound.unobserved, perRound.floor, 1), goal: "—", met: undefined },
  ],
});
if (sink === -1 || kept === null) console.error("unreachable: keeps the calls from being optimised away");
