// Order conformance through the public API: which steps ran before which in one flow call,
// against the `after` declarations (diffDag's four lists).
import { configure, currentFlowId, diffDag, entrypoint, extractFlow, flow, injectFlow, runInFlow, step, type DagDiff } from "../../lib";
import { clearObservations, recordingBackend, resetPenstock } from "../../lib/testing";
import { penstockErrorOf } from "../support/errors";

const EMPTY: DagDiff = { undeclared: [], unexercised: [], outOfOrder: [], unpreceded: [] };
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  resetPenstock();
  configure(recordingBackend());
});

/** The README's demo flow: an entrypoint that calls its four steps in turn. */
function orders(): { placeOrder: (fail?: boolean) => Promise<string> } {
  const validate = step("validate_order", async (fail: boolean) => {
    if (fail) throw new Error("no items");
  }, { flow: "orders", after: "place_order" });
  const reserve = step("reserve_stock", async () => tick(), { after: validate });
  const charge = step("charge_payment", async () => "pay_1", { after: [validate, reserve] });
  const confirm = step("send_confirmation", async (payment: string) => `mailed ${payment}`, { after: charge });
  const placeOrder = entrypoint("place_order", async (fail = false) => {
    await validate(fail);
    await reserve();
    return confirm(await charge());
  }, { flow: "orders" });
  return { placeOrder };
}

describe("diffDag: order conformance", () => {
  test("the demo flow (a handler calling its steps in turn) gives an empty diff, failed calls included", async () => {
    const { placeOrder } = orders();
    await placeOrder();
    await expect(placeOrder(true)).rejects.toThrow("no items");
    await Promise.all([placeOrder(), placeOrder()]);
    expect(diffDag("orders")).toEqual(EMPTY);
  });

  test("a chain where each step calls the next gives an empty diff", () => {
    const chain = flow("chain");
    const c = chain.step("c", () => 3, { after: "b" });
    const b = chain.step("b", () => c(), { after: "a" });
    const a = chain.step("a", () => b(), { after: "start" });
    chain.entrypoint("start", () => a())();
    expect(diffDag("chain")).toEqual(EMPTY);
  });

  test("parallel steps (Promise.all) give no outOfOrder for pairs the drawing does not order", async () => {
    const fan = flow("fan");
    const left = fan.step("left", async () => tick(), { after: "start" });
    const right = fan.step("right", async () => undefined, { after: "start" });
    const join = fan.step("join", async () => undefined, { after: [left, right] });
    const start = fan.entrypoint("start", async () => {
      await Promise.all([left(), right(), right()]);
      await join();
    });
    for (let i = 0; i < 5; i++) await start();
    expect(diffDag("fan")).toEqual(EMPTY);
  });

  test("swapping two calls gives outOfOrder, with the count and an example correlation ID", () => {
    const swap = flow("swap");
    const second = swap.step("second", () => undefined, { after: "first" });
    const first = swap.step("first", () => undefined, { after: "go" });
    const ids: string[] = [];
    const go = swap.entrypoint("go", () => {
      ids.push(getId());
      second();
      first();
    });
    go();
    go();
    const diff = diffDag("swap");
    expect(diff.outOfOrder).toEqual([{ from: "first", to: "second", count: 2, example: ids[0] }]);
    // second ran with none of its predecessors before it; first -> second never ran in order.
    expect(diff.unpreceded).toEqual([{ step: "second", count: 2, example: ids[0] }]);
    expect(diff.unexercised).toEqual([{ from: "first", to: "second", count: 0 }]);
    expect(diff.undeclared).toEqual([]);
  });

  test("skipping a step gives unpreceded for the one after it", async () => {
    const { placeOrder } = orders();
    // A handler that skips w: x has no predecessor before it.
    const validate = step("v", async () => undefined, { flow: "skip", after: "s" });
    const after = step("w", async () => undefined, { after: validate });
    const last = step("x", async () => undefined, { after: after });
    const start = entrypoint("s", async () => {
      await validate();
      await last();
    }, { flow: "skip" });
    await start();
    await placeOrder();
    expect(diffDag("skip")).toEqual({
      undeclared: [],
      unexercised: [
        { from: "v", to: "w", count: 0 },
        { from: "w", to: "x", count: 0 },
      ],
      outOfOrder: [],
      unpreceded: [{ step: "x", count: 1, example: expect.stringMatching(/^[0-9a-f]{32}$/) }],
    });
    expect(diffDag("orders")).toEqual(EMPTY);
  });

  test("a branch (after: [card, paypal], one of them per call) is satisfied by either", () => {
    const pay = flow("pay");
    const card = pay.step("card", () => undefined, { after: "checkout" });
    const paypal = pay.step("paypal", () => undefined, { after: "checkout" });
    const receipt = pay.step("receipt", () => undefined, { after: [card, paypal] });
    const checkout = pay.entrypoint("checkout", (byCard: boolean) => {
      (byCard ? card : paypal)();
      receipt();
    });
    checkout(true);
    checkout(false);
    expect(diffDag("pay")).toEqual(EMPTY);
  });

  test("a call along no declared path is undeclared, with its count; one along a path is not", () => {
    const jobs = flow("jobs");
    const audit = jobs.step("audit", () => undefined);
    const b = jobs.step("b", () => audit(), { after: "a" });
    const a = jobs.step("a", () => undefined, { after: "start" });
    // start -> a -> b is declared: start calling b directly follows a path; b calling audit does not.
    const start = jobs.entrypoint("start", () => {
      a();
      b();
      b();
    });
    start();
    expect(diffDag("jobs").undeclared).toEqual([{ from: "b", to: "audit", count: 2, example: expect.any(String) }]);
  });

  test("a step calling itself is undeclared unless the drawing has a cycle through it", () => {
    const countdown: (n: number) => void = flow("count").step("countdown", (n: number) => (n > 0 ? countdown(n - 1) : undefined), { after: "go" });
    flow("count").entrypoint("go", () => countdown(3))();
    expect(diffDag("count").undeclared).toEqual([{ from: "countdown", to: "countdown", count: 3, example: expect.any(String) }]);
  });

  test("order is per flow call: a step of one call does not precede a step of another", async () => {
    const split = flow("split");
    const a = split.step("a", async () => undefined, { after: "one" });
    const b = split.step("b", async () => undefined, { after: a });
    const one = split.entrypoint("one", async () => a());
    await one();
    await split.entrypoint("three", async () => b())();
    expect(diffDag("split").unpreceded).toEqual([{ step: "b", count: 1, example: expect.any(String) }]);
  });

  test("a runInFlow (an HTTP request, a queue job, a carrier) is one flow call", async () => {
    const q = flow("queue");
    const first = q.step("first", async () => undefined, { after: "job" });
    const second = q.step("second", async () => undefined, { after: first });
    q.entrypoint("job", async () => undefined);
    const id = await runInFlow({}, async () => {
      await first();
      await second();
      return getId();
    });
    // first has a declared predecessor (job) that did not run: that one is unpreceded, second is not.
    expect(diffDag("queue").unpreceded).toEqual([{ step: "first", count: 1, example: id }]);
  });

  test("calls from a bare runInFlow, from another flow's steps, or outside any flow are no undeclared edges", () => {
    const audit = step("audit", () => undefined, { flow: "ledger" });
    const ledger = entrypoint("ledger", () => audit(), { flow: "ledger" });
    entrypoint("other", () => {
      audit();
      ledger();
    })();
    runInFlow({}, () => audit());
    configure({ strict: false });
    audit();
    expect(diffDag("ledger").undeclared).toEqual([{ from: "ledger", to: "audit", count: 1, example: expect.any(String) }]);
    expect(diffDag("other").undeclared).toEqual([]);
  });

  test("before any call every declared edge is unexercised", () => {
    const p = flow("pipeline");
    const load = p.step("load", () => undefined, { after: "parse" });
    p.step("parse", () => load(), { after: "start" });
    p.entrypoint("start", () => undefined);
    expect(diffDag("pipeline")).toEqual({ ...EMPTY, unexercised: [{ from: "parse", to: "load", count: 0 }, { from: "start", to: "parse", count: 0 }] });
  });

  test("clearObservations forgets what ran; configure({ observe: false }) records nothing", () => {
    const swap = flow("swap");
    const second = swap.step("second", () => undefined, { after: "first" });
    const first = swap.step("first", () => undefined, { after: "go" });
    const go = swap.entrypoint("go", () => {
      second();
      first();
    });
    go();
    expect(diffDag("swap").outOfOrder).toHaveLength(1);
    clearObservations();
    expect(diffDag("swap").outOfOrder).toEqual([]);
    configure({ observe: false });
    go();
    expect(diffDag("swap").outOfOrder).toEqual([]);
    configure({ observe: true });
    go();
    expect(diffDag("swap").outOfOrder).toHaveLength(1);
  });

  test("memory is bounded: at most 10,000 distinct call edges per flow, then one PENSTOCK_DRIFT_LIMIT warning", () => {
    const busy = flow("busy");
    const steps = Array.from({ length: 101 }, (_, i) =>
      busy.step(`s${i}`, (depth: number) => {
        if (depth === 0) for (const other of steps) if (other !== steps[i]) other(1);
      }),
    );
    const warnings = jest.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      busy.entrypoint("go", () => steps.forEach((s) => s(0)))();
      busy.entrypoint("again", () => steps.forEach((s) => s(0)))();
      // go and again call every step (201 edges), the steps call each other: 10,100 + 202 distinct edges.
      expect(diffDag("busy").undeclared).toHaveLength(10_000);
      expect(warnings.mock.calls.filter(([, options]) => (options as { code?: string } | undefined)?.code === "PENSTOCK_DRIFT_LIMIT")).toHaveLength(1);
    } finally {
      warnings.mockRestore();
    }
  });

  test("a flow of more than 32 steps is checked past its 32nd step", () => {
    const long = flow("long");
    const names = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const wrapped = names.map((name, i) => long.step(name, () => undefined, { after: i === 0 ? "start" : names[i - 1]! }));
    const start = long.entrypoint("start", (skip: number) => wrapped.forEach((s, i) => (i === skip ? undefined : s())));
    start(-1);
    expect(diffDag("long")).toEqual(EMPTY);
    start(35);
    expect(diffDag("long").unpreceded).toEqual([{ step: "s36", count: 1, example: expect.any(String) }]);
    expect(diffDag("long").outOfOrder).toEqual([]);
  });

  test("bad input: INVALID_ARGUMENT naming the argument; an unknown flow is UNKNOWN_FLOW", () => {
    expect(penstockErrorOf(() => diffDag(42 as never))).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/^diffDag\(flow\): /) });
    expect(penstockErrorOf(() => diffDag("nope"))).toMatchObject({ code: "UNKNOWN_FLOW", message: expect.stringContaining('"nope"') });
    expect(penstockErrorOf(() => configure({ observe: "yes" as never }))).toMatchObject({ code: "INVALID_ARGUMENT", message: "configure(options).observe: must be true or false." });
  });
});

function getId(): string {
  return currentFlowId()!;
}

describe("flows that run in several processes are checked per process", () => {
  test("a flow call continued from a carrier is a new local flow call; its first step here is not unpreceded", async () => {
    // Process A (simulated): the producer runs enqueue and writes the carrier.
    const jobs = flow("jobs");
    const enqueue = jobs.entrypoint("enqueue", () => injectFlow<Record<string, string>>({}));
    const work = jobs.step("work", async () => undefined, { after: enqueue });
    const save = jobs.step("save", async () => undefined, { after: work });
    const notify = jobs.step("notify", async () => undefined, { after: save });
    const carrier = enqueue();
    // Process B: the worker continues the flow from the carrier and runs the rest.
    await runInFlow(extractFlow(carrier), async () => {
      await work();
      await save();
    });
    // A worker that skips save: notify is judged, work (first here) is not.
    await runInFlow(extractFlow(carrier), async () => {
      await work();
      await notify();
    });
    expect(diffDag("jobs").unpreceded).toEqual([{ step: "notify", count: 1, example: carrier["x-correlation-id"] }]);
    // The same steps in a flow call started here (no carrier): work's predecessor did not run.
    await runInFlow({}, async () => work());
    expect(diffDag("jobs").unpreceded.map(({ step, count }) => [step, count])).toEqual([["notify", 1], ["work", 1]]);
  });
});
