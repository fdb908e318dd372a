// Live statistics through the public API: flowStats, and the histogram behind its percentiles.
import { configure, entrypoint, flow, flowStats, loggingBackend, settle, step } from "../../lib";
import { clearObservations, recordingBackend, resetPenstock } from "../../lib/testing";
import { bucketMiddle, bucketOf, createHistogram, HISTOGRAM_BUCKETS, quantile, recordDuration } from "../../lib/observations/histogram";
import { penstockErrorOf } from "../support/errors";
import { waitAtLeast } from "../support/wait-at-least";
import pino from "pino";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(() => {
  resetPenstock();
  configure(recordingBackend());
});

describe("the histogram", () => {
  test("every value from 1 µs to 1 hour is within 2 % of its bucket's middle", () => {
    for (let ns = 1000; ns <= 3.6e12; ns *= 1.0137) {
      const middle = bucketMiddle(bucketOf(ns));
      expect(Math.abs(middle - ns) / ns).toBeLessThan(0.02);
    }
    expect(bucketOf(1e15)).toBe(HISTOGRAM_BUCKETS - 1);
    expect(bucketOf(0)).toBe(0);
  });

  test("percentiles of a known distribution are within 2 %", () => {
    const h = createHistogram();
    // 1..10,000 µs, once each: p50 5,000 µs, p95 9,500 µs, p99 9,900 µs.
    for (let us = 1; us <= 10_000; us++) recordDuration(h, us * 1000, 1);
    for (const [q, expected] of [[0.5, 5e6], [0.95, 9.5e6], [0.99, 9.9e6]] as const) {
      expect(Math.abs(quantile(h, q) - expected) / expected).toBeLessThan(0.02);
    }
    expect(h.max).toBe(1e7);
    expect(quantile(createHistogram(), 0.5)).toBe(0);
  });
});

describe("flowStats", () => {
  function shop(): { buy: (fail: boolean) => Promise<void> } {
    const shopFlow = flow("shop");
    const pick = shopFlow.step("pick", async () => waitAtLeast(5), { after: "buy" });
    const pay = shopFlow.step("pay", async (fail: boolean) => {
      if (fail) throw new Error("declined");
    }, { after: pick });
    const buy = shopFlow.entrypoint("buy", async (fail: boolean) => {
      await pick();
      await pay(fail);
    });
    return { buy };
  }

  test("calls, errors, durations and edge counts, exact where they can be", async () => {
    const { buy } = shop();
    await buy(false);
    await buy(false);
    await expect(buy(true)).rejects.toThrow("declined");
    const stats = flowStats("shop");
    expect(stats.flow).toBe("shop");
    expect(stats.flowCalls).toBe(3);
    expect(new Date(stats.since).toISOString()).toBe(stats.since);
    expect(stats.steps.map(({ step, kind, calls, errors }) => ({ step, kind, calls, errors }))).toEqual([
      { step: "buy", kind: "entrypoint", calls: 3, errors: 1 },
      { step: "pay", kind: "step", calls: 3, errors: 1 },
      { step: "pick", kind: "step", calls: 3, errors: 0 },
    ]);
    const pick = stats.steps.find((s) => s.step === "pick")!.durationMs;
    // The step waits at least 5 ms; the figures are ordered as percentiles must be.
    expect(pick.p50).toBeGreaterThanOrEqual(4.5);
    expect(pick.p50).toBeLessThanOrEqual(pick.p95);
    expect(pick.p95).toBeLessThanOrEqual(pick.p99);
    expect(pick.p99).toBeLessThanOrEqual(pick.max);
    expect(pick.mean).toBeGreaterThanOrEqual(4.5);
    expect(stats.edges).toEqual([
      { from: "buy", to: "pick", count: 3 },
      { from: "pick", to: "pay", count: 3 },
    ]);
  });

  test("collected under every backend: logging, custom, and the counts survive a backend that throws", async () => {
    const { buy } = shop();
    configure(loggingBackend({ logger: pino({ level: "silent" }) }));
    await buy(false);
    configure({ backend: { name: "bad", span: () => { throw new Error("backend down"); }, getCorrelationId: () => undefined }, onError: () => undefined });
    await buy(false);
    // A custom backend that ends its spans with settle(): the end is reported from its reaction.
    const ended: string[] = [];
    configure({ backend: { name: "settling", span: (info, run) => settle(run(), () => ended.push(info.step)), getCorrelationId: () => undefined } });
    await buy(false);
    await expect(buy(true)).rejects.toThrow("declined");
    expect(ended).toEqual(["pick", "pay", "buy", "pick", "pay", "buy"]);
    expect(flowStats("shop").steps.map((s) => [s.step, s.calls, s.errors])).toEqual([["buy", 4, 1], ["pay", 4, 1], ["pick", 4, 0]]);
  });

  test("a fast sync step is counted exactly though only some of its calls are timed", () => {
    const add = step("add", (a: number, b: number) => a + b, { flow: "math", after: "sum" });
    const sum = entrypoint("sum", (n: number) => {
      let total = 0;
      for (let i = 0; i < n; i++) total = add(total, 1);
      return total;
    }, { flow: "math" });
    expect(sum(10_000)).toBe(10_000);
    const stats = flowStats("math").steps.find((s) => s.step === "add")!;
    expect(stats.calls).toBe(10_000);
    expect(stats.durationMs.max).toBeGreaterThan(0);
    expect(stats.durationMs.p50).toBeLessThanOrEqual(stats.durationMs.max);
  });

  test("a step's first 64 calls are all timed: a slow one among fast ones is its max", () => {
    const tick = step("tick", (i: number) => {
      // One call in the middle takes 5 ms (a busy wait: a sync step); the others take nanoseconds.
      if (i === 40) for (const until = performance.now() + 5; performance.now() < until; );
      return i;
    }, { flow: "ticks", after: "ticks" });
    const ticks = entrypoint("ticks", () => {
      for (let i = 0; i < 64; i++) tick(i);
    }, { flow: "ticks" });
    ticks();
    const stats = flowStats("ticks").steps.find((s) => s.step === "tick")!;
    expect(stats.calls).toBe(64);
    expect(stats.durationMs.max).toBeGreaterThanOrEqual(4.9);
  });

  test("an async step with thousands of calls in flight is counted exactly, and its sampled durations are its calls' durations", async () => {
    // Started close together, these calls are timed in part (their spacing, not their 20 ms, decides).
    const wait = step("wait", async (i: number) => {
      await sleep(20);
      if (i % 10 === 0) throw new Error("every tenth");
      return i;
    }, { flow: "crowd", after: "fan_out" });
    const fanOut = entrypoint("fan_out", async (n: number) => {
      const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => wait(i)));
      return settled.filter((s) => s.status === "fulfilled").length;
    }, { flow: "crowd" });
    expect(await fanOut(5_000)).toBe(4_500);
    expect(await fanOut(5_000)).toBe(4_500);
    const stats = flowStats("crowd").steps.find((s) => s.step === "wait")!;
    expect([stats.calls, stats.errors]).toEqual([10_000, 1_000]);
    // A timer of 20 ms never fires sooner; the histogram's buckets are within 1.6 %.
    expect(stats.durationMs.p50).toBeGreaterThanOrEqual(19.6);
    expect(stats.durationMs.p95).toBeGreaterThanOrEqual(stats.durationMs.p50);
    expect(stats.durationMs.max).toBeGreaterThanOrEqual(stats.durationMs.p99);
  });

  test("clearObservations clears the statistics; observe: false collects none", async () => {
    const { buy } = shop();
    await buy(false);
    const before = flowStats("shop").since;
    await waitAtLeast(2);
    clearObservations();
    const cleared = flowStats("shop");
    expect(cleared.flowCalls).toBe(0);
    expect(cleared.steps.every((s) => s.calls === 0 && s.durationMs.p95 === 0)).toBe(true);
    expect(cleared.since > before).toBe(true);
    configure({ observe: false });
    await buy(false);
    expect(flowStats("shop").flowCalls).toBe(0);
  });

  test("an unknown flow is UNKNOWN_FLOW; a bad argument INVALID_ARGUMENT", () => {
    expect(penstockErrorOf(() => flowStats("nope"))).toMatchObject({ code: "UNKNOWN_FLOW" });
    expect(penstockErrorOf(() => flowStats(1 as never))).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/^flowStats\(flow\): /) });
  });
});

describe("where the end of a call comes from", () => {
  test("a generator step is counted once, under the logging backend (which watches its iteration) too", async () => {
    configure(loggingBackend({ logger: pino({ level: "silent" }) }));
    const items = step("items", function* () {
      yield 1;
      yield 2;
    }, { flow: "gen", after: "go" });
    const asyncItems = step("async_items", async function* () {
      yield 1;
    }, { flow: "gen", after: "go" });
    const go = entrypoint("go", async () => {
      let total = 0;
      for (const item of items()) total += item;
      for await (const item of asyncItems()) total += item;
      return total;
    }, { flow: "gen" });
    expect(await go()).toBe(4);
    await go();
    await sleep(5);
    expect(flowStats("gen").steps.map(({ step, calls, errors }) => [step, calls, errors])).toEqual([
      ["async_items", 2, 0],
      ["go", 2, 0],
      ["items", 2, 0],
    ]);
  });

  test("async calls under logging are counted by the backend's own reaction, each once, rejections as errors", async () => {
    configure(loggingBackend({ logger: pino({ level: "silent" }) }));
    const flaky = step("flaky", async (fail: boolean) => {
      await waitAtLeast(1);
      if (fail) throw new Error("no");
    }, { flow: "flaky", after: "run" });
    const run = entrypoint("run", async (fail: boolean) => flaky(fail), { flow: "flaky" });
    await run(false);
    await expect(run(true)).rejects.toThrow("no");
    await Promise.all([run(false), run(false)]);
    const stats = flowStats("flaky").steps.find((s) => s.step === "flaky")!;
    expect([stats.calls, stats.errors]).toEqual([4, 1]);
    expect(stats.durationMs.p50).toBeGreaterThanOrEqual(0.9);
  });
});

describe("expected errors in the statistics", () => {
  class NotFound extends Error {
    override name = "NotFound";
  }
  const isNotFound = (error: unknown): boolean => error instanceof NotFound;

  test.each([
    ["the recording backend", () => recordingBackend()],
    ["the logging backend", () => loggingBackend({ logger: pino({ level: "silent" }) })],
  ])("under %s, an expected error is counted apart from errors, sync and async", async (_name, backend) => {
    configure(backend());
    const find = step("find", (id: number) => {
      if (id === 0) throw new NotFound("no such order");
      if (id < 0) throw new Error("database down");
      return id;
    }, { flow: "lookup", after: "serve", expected: isNotFound });
    const load = step("load", async (id: number) => {
      await Promise.resolve();
      if (id === 0) throw new NotFound("no such order");
      if (id < 0) throw new Error("database down");
      return id;
    }, { flow: "lookup", after: "serve", expected: isNotFound });
    const serve = entrypoint("serve", async (id: number) => {
      try {
        find(id);
      } catch {}
      return load(id).catch(() => -1);
    }, { flow: "lookup" });
    for (const id of [1, 0, 0, -1, 2]) await serve(id);
    const figures = flowStats("lookup").steps.map(({ step, calls, errors, expected }) => [step, calls, errors, expected]);
    expect(figures).toEqual([["find", 5, 1, 2], ["load", 5, 1, 2], ["serve", 5, 0, 0]]);
  });

  test("configure({ expected }) counts for every step", () => {
    configure({ backend: recordingBackend(), expected: isNotFound });
    const find = step("find", () => {
      throw new NotFound("gone");
    }, { flow: "lookup2", after: "serve" });
    const serve = entrypoint("serve", () => {
      try {
        find();
      } catch {}
    }, { flow: "lookup2" });
    serve();
    expect(flowStats("lookup2").steps.find((s) => s.step === "find")).toMatchObject({ calls: 1, errors: 0, expected: 1 });
  });
});
