// Fault matrix, context under concurrency: each flow sees its own ID and values through every
// kind of async hop, nested entrypoints restore the outer context, no wrapped call leaks its
// context into the caller's continuation, and bindFlow() carries a flow into callbacks that
// run from elsewhere (emitters, userland queues).
import { EventEmitter } from "node:events";
import { trace } from "@opentelemetry/api";
import { bindFlow, configure, currentFlowId, entrypoint, getFlowValue, runInFlow, setFlowValue, step } from "../../lib";
import { recordingBackend, resetPenstock, type RecordingBackend } from "../../lib/testing";
import { penstockErrorOf } from "../support/errors";
import { startOtelSdk } from "../support/otel-sdk";

const HEX32 = /^[0-9a-f]{32}$/;
let recorder: RecordingBackend;

beforeEach(() => {
  resetPenstock();
  recorder = recordingBackend();
  configure(recorder);
});
afterEach(() => {
  // Nothing a test ran is left current in the test's own continuation.
  expect(currentFlowId()).toBeUndefined();
});

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hops: ((done: () => void) => void)[] = [
  (done) => setTimeout(done, 1),
  (done) => setImmediate(done),
  (done) => process.nextTick(done),
  (done) => queueMicrotask(done),
  (done) => void Promise.resolve().then(done),
];

describe("10,000 parallel entrypoints with random hops", () => {
  test("every flow sees its own ID and values at every hop; timers outside flows see none", async () => {
    const next = random(7);
    const mismatches: string[] = [];
    const ids = new Set<string>();
    const hopStep = step("hop", async (index: number) => {
      const hop = hops[Math.floor(next() * hops.length)]!;
      await new Promise<void>((resolve) => hop(resolve));
      if (getFlowValue("index") !== index) mismatches.push(`step ${index}`);
      return currentFlowId();
    }, { flow: "parallel" });
    const flowFn = entrypoint("parallel", async (index: number) => {
      setFlowValue("index", index);
      const id = currentFlowId()!;
      ids.add(id);
      const rounds = 1 + Math.floor(next() * 3);
      for (let round = 0; round < rounds; round++) {
        const hop = hops[Math.floor(next() * hops.length)]!;
        await new Promise<void>((resolve) => hop(resolve));
        if (currentFlowId() !== id || getFlowValue("index") !== index) mismatches.push(`flow ${index} round ${round}`);
        if ((await hopStep(index)) !== id) mismatches.push(`step id ${index}`);
      }
    });
    // Timers with the same delay, scheduled outside any flow, interleaved with the flows'.
    const outside: Promise<void>[] = [];
    const calls: Promise<void>[] = [];
    for (let index = 0; index < 10_000; index++) {
      calls.push(flowFn(index));
      if (index % 100 === 0) {
        outside.push(new Promise<void>((resolve) => setTimeout(() => {
          if (currentFlowId() !== undefined) mismatches.push(`outside timer ${index}`);
          resolve();
        }, 1)));
      }
    }
    expect(currentFlowId()).toBeUndefined();
    await Promise.all([...calls, ...outside]);
    expect(mismatches).toEqual([]);
    expect(ids.size).toBe(10_000);
  });
});

describe("nested entrypoints", () => {
  test("sync: the inner keeps the ID, forks the values, and the outer context is restored", () => {
    const inner = entrypoint("inner_sync", () => {
      setFlowValue("who", "inner");
      return currentFlowId();
    });
    const outer = entrypoint("outer_sync", () => {
      setFlowValue("who", "outer");
      const id = currentFlowId();
      const innerId = inner();
      return [id, innerId, getFlowValue("who"), currentFlowId()];
    });
    const [id, innerId, who, after] = outer();
    expect(id).toMatch(HEX32);
    expect(innerId).toBe(id);
    expect(who).toBe("outer");
    expect(after).toBe(id);
    expect(currentFlowId()).toBeUndefined();
  });

  test("async: the same across awaits", async () => {
    const inner = entrypoint("inner_async", async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      setFlowValue("who", "inner");
      return currentFlowId();
    });
    const outer = entrypoint("outer_async", async () => {
      setFlowValue("who", "outer");
      const innerId = await inner();
      return [currentFlowId(), innerId, getFlowValue("who")];
    });
    const [id, innerId, who] = await outer();
    expect(innerId).toBe(id);
    expect(who).toBe("outer");
  });

  test("an inner entrypoint that throws leaves the outer context intact", async () => {
    const own = new Error("inner failed");
    const innerSync = entrypoint("inner_throws", () => {
      setFlowValue("who", "inner");
      throw own;
    });
    const innerAsync = entrypoint("inner_rejects", async () => {
      setFlowValue("who", "inner");
      throw own;
    });
    const outer = entrypoint("outer_survives", async () => {
      setFlowValue("who", "outer");
      const id = currentFlowId();
      expect(() => innerSync()).toThrow(own);
      expect(currentFlowId()).toBe(id);
      await expect(innerAsync()).rejects.toBe(own);
      return [id === currentFlowId(), getFlowValue("who")];
    });
    expect(await outer()).toEqual([true, "outer"]);
  });

  test("an entrypoint called before the first await of an async caller does not leak into the caller", async () => {
    const ep = entrypoint("early_call", async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return currentFlowId();
    });
    async function caller(): Promise<[unknown, unknown, unknown]> {
      const pending = ep();
      const before = currentFlowId();
      const id = await pending;
      return [before, currentFlowId(), id];
    }
    const [before, after, id] = await caller();
    expect(before).toBeUndefined();
    expect(after).toBeUndefined();
    expect(id).toMatch(HEX32);
  });
});

describe("no wrapped call leaks its context into the caller's continuation", () => {
  // Checked by behaviour, whatever Node's AsyncLocalStorage does inside: after the call returns
  // or throws, the caller sees the context it had before (no flow outside any flow; the outer
  // flow's ID and the outer entrypoint's span inside one), synchronously, after awaiting the
  // call's result, after later awaits, and in callbacks of every kind scheduled after the call.
  const own = new Error("the wrapped function failed");
  const hop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));
  /** A call of a wrapped function; `check(when)` compares the caller's context with the one before. */
  type Call = (check: (when: string) => void) => unknown;

  const calls: [string, () => Call][] = [
    ["a sync entrypoint that returns", () => entrypoint("leak_sync_ok", () => currentFlowId())],
    ["a sync entrypoint that throws", () => entrypoint("leak_sync_throws", () => {
      throw own;
    })],
    ["an async entrypoint that resolves", () => entrypoint("leak_async_ok", async () => {
      await hop();
      return currentFlowId();
    })],
    ["an async entrypoint that rejects", () => entrypoint("leak_async_rejects", async () => {
      await hop();
      throw own;
    })],
    ["a sync step that returns", () => step("leak_step_sync_ok", () => currentFlowId(), { flow: "leak" })],
    ["a sync step that throws", () => step("leak_step_sync_throws", () => {
      throw own;
    }, { flow: "leak" })],
    ["an async step that resolves", () => step("leak_step_async_ok", async () => {
      await hop();
      return currentFlowId();
    }, { flow: "leak" })],
    ["an async step that rejects", () => step("leak_step_async_rejects", async () => {
      await hop();
      throw own;
    }, { flow: "leak" })],
    ["runInFlow with a sync fn that returns", () => () => runInFlow({ correlationId: "inner-flow" }, () => currentFlowId())],
    ["runInFlow with a sync fn that throws", () => () => runInFlow({ correlationId: "inner-flow" }, () => {
      throw own;
    })],
    ["runInFlow with an async fn that resolves", () => () => runInFlow({ correlationId: "inner-flow" }, async () => {
      await hop();
      return currentFlowId();
    })],
    ["runInFlow with an async fn that rejects", () => () => runInFlow({ correlationId: "inner-flow" }, async () => {
      await hop();
      throw own;
    })],
    ["a function bound to another flow with bindFlow", () => runInFlow({ correlationId: "bound-flow" }, () => bindFlow(async () => {
      await hop();
      return currentFlowId();
    }))],
    ["a generator entrypoint, iterated to the end", () => {
      const generate = entrypoint("leak_generator", function* () {
        yield currentFlowId();
        yield currentFlowId();
      });
      return (check) => {
        const iterator = generate();
        check("after the generator call");
        for (const _ of iterator) check("between iterations");
      };
    }],
    ["an async generator entrypoint, iterated to the end", () => {
      const generate = entrypoint("leak_async_generator", async function* () {
        await hop();
        yield currentFlowId();
        await hop();
        yield currentFlowId();
      });
      return async (check) => {
        const iterator = generate();
        check("after the generator call");
        for await (const _ of iterator) check("between iterations");
      };
    }],
  ];

  /** Where the caller is: no flow, or a flow's ID and the span a step called here would get as parent. */
  function whereAmI(probe: () => unknown): string {
    const id = currentFlowId();
    if (id === undefined) return "outside any flow";
    probe();
    return `in flow ${id} under span ${String(recorder.spans.at(-1)?.parentSpanId)}`;
  }

  /** Runs `call` and lists every point of the caller's continuation whose context differs from before. */
  async function leaksOf(call: Call, probe: () => unknown): Promise<string[]> {
    const before = whereAmI(probe);
    const leaks: string[] = [];
    const check = (when: string): void => {
      const now = whereAmI(probe);
      if (now !== before) leaks.push(`${when}: ${now}, not ${before}`);
    };
    let result: unknown;
    try {
      result = call(check);
    } catch {
      result = undefined;
    }
    check("right after the call returned or threw");
    const later = [
      new Promise<void>((resolve) => setTimeout(() => {
        check("in a timer set after the call");
        resolve();
      }, 1)),
      new Promise<void>((resolve) => setImmediate(() => {
        check("in setImmediate after the call");
        resolve();
      })),
      new Promise<void>((resolve) => process.nextTick(() => {
        check("in process.nextTick after the call");
        resolve();
      })),
      new Promise<void>((resolve) => queueMicrotask(() => {
        check("in queueMicrotask after the call");
        resolve();
      })),
      Promise.resolve().then(() => check("in a then() chained after the call")),
    ];
    try {
      await result;
    } catch {
      // The wrapped function's own failure, passed through.
    }
    check("after awaiting the call's result");
    await hop();
    check("after a later await");
    await Promise.all(later);
    check("after every callback ran");
    return leaks;
  }

  test.each(calls)("%s, called outside any flow", async (_label, make) => {
    // Steps outside a flow run untraced rather than throwing OUTSIDE_FLOW.
    configure({ strict: false });
    const call = make();
    const probe = step("leak_probe", () => undefined, { flow: "leak" });
    expect(await leaksOf(call, probe)).toEqual([]);
    expect(currentFlowId()).toBeUndefined();
  });

  test.each(calls)("%s, called inside an outer entrypoint", async (_label, make) => {
    const call = make();
    const probe = step("leak_probe", () => undefined, { flow: "leak" });
    const outer = entrypoint("leak_outer", async () => {
      const id = currentFlowId();
      const leaks = await leaksOf(call, probe);
      return { leaks, restored: currentFlowId() === id };
    }, { flow: "leak" });
    expect(await outer()).toEqual({ leaks: [], restored: true });
    expect(currentFlowId()).toBeUndefined();
  });
});

describe("callbacks run from elsewhere, and bindFlow()", () => {
  test("an EventEmitter listener sees the emitter's context; bound with bindFlow, its own flow's", () => {
    const emitter = new EventEmitter();
    const seen: Record<string, unknown> = {};
    runInFlow({ correlationId: "listener-flow" }, () => {
      emitter.on("plain", () => (seen.plain = currentFlowId()));
      emitter.on("bound", bindFlow(() => (seen.bound = currentFlowId())));
    });
    runInFlow({ correlationId: "emitter-flow" }, () => {
      emitter.emit("plain");
      emitter.emit("bound");
    });
    expect(seen).toEqual({ plain: "emitter-flow", bound: "listener-flow" });
  });

  test("a userland callback queue drained outside any flow: each bound callback runs in its own flow", async () => {
    const queue: (() => void)[] = [];
    const seen: [number, unknown, unknown][] = [];
    const enqueue = entrypoint("enqueue", (index: number) => {
      setFlowValue("index", index);
      queue.push(bindFlow(() => seen.push([index, getFlowValue("index"), currentFlowId()])));
      return currentFlowId();
    });
    const ids = [0, 1, 2, 3].map((index) => enqueue(index));
    await new Promise<void>((resolve) => setImmediate(() => {
      expect(currentFlowId()).toBeUndefined();
      for (const callback of queue.splice(0)) callback();
      resolve();
    }));
    expect(seen).toEqual(ids.map((id, index) => [index, index, id]));
  });

  test("bound outside a flow, it runs outside even when called inside one", () => {
    const bound = bindFlow(() => currentFlowId());
    expect(runInFlow({ correlationId: "caller-flow" }, () => bound())).toBeUndefined();
  });

  test("it is faithful: this, arguments, return value, thrown value, name and length", () => {
    const own = new Error("bound threw");
    function original(this: { base: number }, a: number, b: number): number {
      if (a < 0) throw own;
      return this.base + a + b;
    }
    const bound = runInFlow({}, () => bindFlow(original));
    const holder = { base: 100, bound };
    expect(holder.bound(1, 2)).toBe(103);
    expect(() => holder.bound(-1, 0)).toThrow(own);
    expect(bound.name).toBe("original");
    expect(bound.length).toBe(2);
  });

  test.each<[string, unknown]>([["undefined", undefined], ["a string", "fn"], ["an object", {}]])("bindFlow(%s) is INVALID_ARGUMENT", (_label, value) => {
    expect(penstockErrorOf(() => bindFlow(value as never)).code).toBe("INVALID_ARGUMENT");
  });

  test("it carries the OpenTelemetry active span too", async () => {
    const sdk = startOtelSdk();
    try {
      configure("otel");
      let bound!: () => [string | undefined, string | undefined];
      let spanId: string | undefined;
      entrypoint("binds", () => {
        spanId = trace.getActiveSpan()?.spanContext().spanId;
        bound = bindFlow(() => [trace.getActiveSpan()?.spanContext().spanId, currentFlowId()]);
      })();
      const [activeSpan, id] = await new Promise<[string | undefined, string | undefined]>((resolve) => setImmediate(() => resolve(bound())));
      expect(spanId).toBeDefined();
      expect(activeSpan).toBe(spanId);
      expect(id).toBe(sdk.span("binds").spanContext().traceId);
    } finally {
      await sdk.shutdown();
    }
  });
});
