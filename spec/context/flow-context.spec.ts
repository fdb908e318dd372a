import { setImmediate as nextTurn } from "node:timers/promises";
import {
  configure,
  currentFlowId,
  entrypoint,
  flowKey,
  getFlowContext,
  getFlowValue,
  runInFlow,
  setFlowValue,
  step,
  type Backend,
} from "../../lib";
import { recordingBackend, resetPenstock } from "../../lib/testing";
import { penstockErrorOf } from "../support/errors";

const HEX32 = /^[0-9a-f]{32}$/;

beforeEach(() => {
  resetPenstock();
  configure(recordingBackend());
});

describe("correlation IDs", () => {
  test("undefined outside a flow", () => {
    expect(currentFlowId()).toBeUndefined();
    expect(getFlowContext()).toBeUndefined();
  });

  test("each entrypoint call outside a flow gets a new 32-hex ID shared by its steps", async () => {
    const seen: string[][] = [];
    const inner = step("inner", async () => {
      await nextTurn();
      return currentFlowId();
    }, { flow: "outer" });
    const outer = entrypoint("outer", async () => {
      const first = currentFlowId()!;
      const second = await inner();
      seen.push([first, second!]);
    });
    await outer();
    await outer();
    const [[a1, a2], [b1, b2]] = seen as [[string, string], [string, string]];
    expect(a1).toMatch(HEX32);
    expect(a1).toBe(a2);
    expect(b1).toBe(b2);
    expect(a1).not.toBe(b1);
  });

  test("getFlowContext is a frozen view of the flow", () => {
    const key = flowKey<string>("user");
    let context: ReturnType<typeof getFlowContext>;
    const charge = step("charge", () => {
      setFlowValue(key, "u-1");
      context = getFlowContext();
    }, { flow: "orders" });
    entrypoint("receive", () => charge(), { flow: "orders" })();
    expect(context!).toEqual({ correlationId: expect.stringMatching(HEX32), flow: "orders", step: "charge", values: new Map([["user", "u-1"]]) });
    expect(Object.isFrozen(context!)).toBe(true);
  });
});

describe("flow values", () => {
  test("a value set in one step is read by later steps", () => {
    const first = step("first", () => setFlowValue("tenant", "acme"), { flow: "values" });
    const second = step("second", () => getFlowValue("tenant"), { flow: "values" });
    const run = entrypoint("values", () => {
      first();
      return second();
    });
    expect(run()).toBe("acme");
  });

  test("getFlowValue returns the fallback outside a flow or for a missing key", () => {
    expect(getFlowValue("missing", "fallback")).toBe("fallback");
    expect(getFlowValue("missing")).toBeUndefined();
    expect(entrypoint("fallbacks", () => getFlowValue("missing", 7))()).toBe(7);
  });

  test("a stored undefined is returned, not the fallback", () => {
    expect(entrypoint("undef", () => {
      setFlowValue("maybe", undefined);
      return getFlowValue("maybe", "fallback");
    })()).toBeUndefined();
  });

  test("setFlowValue outside a flow is OUTSIDE_FLOW", () => {
    const error = penstockErrorOf(() => setFlowValue("k", 1));
    expect(error.code).toBe("OUTSIDE_FLOW");
    expect(error.message).toMatch(/setFlowValue\("k"\) was called outside a flow/);
  });

  test("typed keys and string keys of the same name address one value", () => {
    const user = flowKey<{ id: string }>("user");
    expect(entrypoint("typed", () => {
      setFlowValue(user, { id: "u-9" });
      return getFlowValue<{ id: string }>("user")?.id;
    })()).toBe("u-9");
  });

  test("keys such as __proto__ are plain keys", () => {
    const result = entrypoint("proto", () => {
      setFlowValue("__proto__", { polluted: true });
      setFlowValue("constructor", 1);
      return [getFlowValue("__proto__"), getFlowValue("constructor")];
    })();
    expect(result).toEqual([{ polluted: true }, 1]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("bad keys are INVALID_ARGUMENT", () => {
    expect(penstockErrorOf(() => getFlowValue(3 as never)).code).toBe("INVALID_ARGUMENT");
    expect(penstockErrorOf(() => flowKey("")).code).toBe("INVALID_ARGUMENT");
  });
});

describe("nested entrypoints", () => {
  test("keep the correlation ID, fork the values, apply their own flow and restore the outer one", () => {
    const observed: Record<string, unknown> = {};
    const inner = entrypoint("inner", () => {
      observed.innerId = currentFlowId();
      observed.innerFlow = getFlowContext()?.flow;
      observed.innerSeesOuterValue = getFlowValue("shared");
      setFlowValue("shared", "inner");
      setFlowValue("innerOnly", true);
    });
    const outer = entrypoint("outer", () => {
      setFlowValue("shared", "outer");
      observed.outerId = currentFlowId();
      inner();
      observed.outerFlowAfter = getFlowContext()?.flow;
      observed.outerValueAfter = getFlowValue("shared");
      observed.innerOnlyAfter = getFlowValue("innerOnly");
    });
    outer();
    expect(observed).toEqual({
      outerId: expect.stringMatching(HEX32),
      innerId: observed.outerId,
      innerFlow: "inner",
      innerSeesOuterValue: "outer",
      outerFlowAfter: "outer",
      outerValueAfter: "outer",
      innerOnlyAfter: undefined,
    });
  });

  test("a flow call with no values yet: a value set by one step reaches its siblings and the entrypoint, not a nested entrypoint started before it, nor back", async () => {
    const seen: Record<string, unknown> = {};
    let nestedStarted!: () => void;
    const started = new Promise<void>((resolve) => (nestedStarted = resolve));
    let release!: () => void;
    const later = new Promise<void>((resolve) => (release = resolve));
    const nested = entrypoint("nested", async () => {
      nestedStarted();
      await later;
      seen.nestedSeesOuter = getFlowValue("k");
      setFlowValue("n", 1);
    });
    const first = step("first", async () => {
      await nextTurn();
      setFlowValue("k", "set by first");
    }, { flow: "lazy" });
    const second = step("second", () => (seen.second = getFlowValue("k")), { flow: "lazy" });
    const outer = entrypoint("lazy", async () => {
      const inner = nested();
      await started;
      await first();
      second();
      release();
      await inner;
      seen.outer = getFlowValue("k");
      seen.outerSeesNested = getFlowValue("n");
      seen.context = [...getFlowContext()!.values];
    });
    await outer();
    expect(seen).toEqual({
      nestedSeesOuter: undefined,
      second: "set by first",
      outer: "set by first",
      outerSeesNested: undefined,
      context: [["k", "set by first"]],
    });
  });

  test("the outer context is restored when the inner entrypoint throws", async () => {
    const inner = entrypoint("failing_inner", async () => {
      await nextTurn();
      throw new Error("inner failed");
    });
    const outer = entrypoint("outer_catches", async () => {
      const before = getFlowContext();
      await expect(inner()).rejects.toThrow("inner failed");
      const after = getFlowContext();
      return [before?.flow, after?.flow, before?.correlationId === after?.correlationId];
    });
    await expect(outer()).resolves.toEqual(["outer_catches", "outer_catches", true]);
  });
});

describe("steps outside a flow", () => {
  test("throw OUTSIDE_FLOW by default", () => {
    const lonely = step("lonely", () => 1, { flow: "f" });
    const error = penstockErrorOf(() => lonely());
    expect(error.code).toBe("OUTSIDE_FLOW");
    expect(error.message).toMatch(/Step "lonely" of flow "f" was called outside a flow/);
  });

  test("run untraced with strict: false", () => {
    const recorder = recordingBackend();
    configure({ backend: recorder, strict: false });
    const lonely = step("lonely", (x: number) => x * 2, { flow: "f" });
    expect(lonely(4)).toBe(8);
    expect(recorder.spans).toHaveLength(0);
  });
});

describe("runInFlow", () => {
  test("adopts a valid inbound correlation ID", () => {
    expect(runInFlow({ correlationId: "req-1:abc.DEF_9" }, () => currentFlowId())).toBe("req-1:abc.DEF_9");
    const long = "a".repeat(128);
    expect(runInFlow({ correlationId: long }, () => currentFlowId())).toBe(long);
  });

  test.each([
    ["empty", ""],
    ["too long", "a".repeat(129)],
    ["CR/LF", "abc\r\nSet-Cookie: x=1"],
    ["space", "a b"],
    ["unicode", "ünïcode"],
    ["line separator", "a\u2028b"],
    ["number", 42],
  ])("replaces an invalid inbound ID (%s) by a fresh one", (_label, inbound) => {
    const id = runInFlow({ correlationId: inbound as string }, () => currentFlowId());
    expect(id).toMatch(HEX32);
    expect(id).not.toBe(inbound);
  });

  test("steps inside runInFlow share its ID, and entrypoints keep it", () => {
    const s = step("s", () => currentFlowId(), { flow: "e" });
    const e = entrypoint("e", () => [currentFlowId(), s()]);
    expect(runInFlow({ correlationId: "inbound-7" }, () => e())).toEqual(["inbound-7", "inbound-7"]);
  });

  test("seeds flow values", () => {
    expect(runInFlow({ values: [["tenant", "acme"]] }, () => getFlowValue("tenant"))).toBe("acme");
    expect(runInFlow({ values: new Map([["n", 1]]) }, () => getFlowValue("n"))).toBe(1);
  });

  test("a step directly inside runInFlow is traced", () => {
    const recorder = recordingBackend();
    configure(recorder);
    const s = step("direct", () => 5, { flow: "f" });
    expect(runInFlow({}, () => s())).toBe(5);
    expect(recorder.spans.map((span) => span.step)).toEqual(["direct"]);
  });

  test("rejects bad arguments", () => {
    expect(penstockErrorOf(() => runInFlow(null as never, () => 1)).code).toBe("INVALID_ARGUMENT");
    expect(penstockErrorOf(() => runInFlow({}, "x" as never)).code).toBe("INVALID_ARGUMENT");
    expect(penstockErrorOf(() => runInFlow({ values: [["ok", 1], [2, 3]] as never }, () => 1)).message).toMatch(/options\.values must hold \[key, value\] pairs/);
  });
});

describe("concurrency", () => {
  test("1,000 concurrent async flows keep their own IDs and values", async () => {
    const record = step("record", async (n: number) => {
      await new Promise((resolve) => setTimeout(resolve, n % 7));
      return { id: currentFlowId(), n: getFlowValue<number>("n") };
    }, { flow: "concurrent" });
    const handle = entrypoint("concurrent", async (n: number) => {
      setFlowValue("n", n);
      await nextTurn();
      const before = currentFlowId();
      const inner = await record(n);
      await Promise.resolve();
      return { before, after: currentFlowId(), inner, n };
    });
    const results = await Promise.all(Array.from({ length: 1000 }, (_, n) => handle(n)));
    const ids = new Set<string>();
    for (const result of results) {
      expect(result.before).toMatch(HEX32);
      expect(result.after).toBe(result.before);
      expect(result.inner).toEqual({ id: result.before, n: result.n });
      ids.add(result.before!);
    }
    expect(ids.size).toBe(1000);
    expect(currentFlowId()).toBeUndefined();
  });
});

describe("a backend's flow scope that fails", () => {
  const failing = (where: "acceptId" | "enter-before" | "enter-after"): Backend => ({
    name: "scoped",
    span: (_info, run) => run(),
    getCorrelationId: () => undefined,
    flowScope: {
      acceptId: (id) => {
        if (where === "acceptId") throw new Error("scope broke");
        return id;
      },
      enter: (_id, _remote, run) => {
        if (where === "enter-before") throw new Error("scope broke");
        const result = run();
        if (where === "enter-after") throw new Error("scope broke");
        return result;
      },
      inject: () => false,
      extract: () => undefined,
    },
  });

  test.each(["acceptId", "enter-before", "enter-after"] as const)("throwing in %s: runInFlow runs fn once, returns its value, reports the fault", (where) => {
    const faults: unknown[] = [];
    configure({ backend: failing(where), onError: (error) => faults.push(error) });
    let calls = 0;
    const result = runInFlow({ correlationId: "inbound-1" }, () => (calls++, currentFlowId()));
    expect(calls).toBe(1);
    expect(result).toMatch(where === "acceptId" ? /^[0-9a-f]{32}$/ : /^inbound-1$/);
    expect(faults).toHaveLength(1);
    const own = new TypeError("own");
    expect(() => runInFlow({}, () => {
      throw own;
    })).toThrow(own);
  });
});
