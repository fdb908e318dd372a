// A faulty backend never changes what the user's function does.
import { configure, currentFlowId, entrypoint, type Backend, type SpanInfo } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { backendWith, MISBEHAVING_SPANS } from "../support/misbehaving-backends";

const faults: { error: unknown; info: SpanInfo | undefined }[] = [];

beforeEach(() => {
  resetPenstock();
  faults.length = 0;
});

function use(backend: Backend): void {
  configure({ backend, onError: (error, info) => faults.push({ error, info }) });
}

const sync = (calls: { n: number }) => entrypoint("user_fn", (x: number) => {
  calls.n++;
  return x * 2;
});

const failing = (calls: { n: number }, error: Error) => entrypoint("user_fn", () => {
  calls.n++;
  throw error;
});

// The misbehaviours that still call the function synchronously, or not at all.
describe.each(MISBEHAVING_SPANS.filter((m) => m.faultOnSuccess && m.label !== "throws a non-Error (a string)" && !m.label.startsWith("rejects")).map((m) => [m.label, m.span] as const))("a backend that %s", (_label, span) => {
  test("leaves a sync result unchanged and runs the function once", () => {
    use(backendWith(span));
    const calls = { n: 0 };
    const result = sync(calls)(21);
    expect(result).toBe(42);
    expect(calls.n).toBe(1);
    expect(faults.length).toBeGreaterThan(0);
  });

  test("leaves a thrown error unchanged and runs the function once", () => {
    use(backendWith(span));
    const calls = { n: 0 };
    const own = new Error("the user's own error");
    expect(() => failing(calls, own)()).toThrow(own);
    expect(calls.n).toBe(1);
  });
});

test("a backend that swallows the error still lets it reach the caller", () => {
  use(backendWith((_info, run) => {
    try {
      return run();
    } catch {
      return "swallowed" as never;
    }
  }));
  const own = new Error("mine");
  expect(() => entrypoint("swallowed", () => {
    throw own;
  })()).toThrow(own);
  expect(faults).toHaveLength(1);
  expect(String(faults[0]!.error)).toMatch(/swallowed the error/);
});

test("a backend whose derived promise rejects on its own does not reject the caller", async () => {
  use(backendWith((_info, run) => Promise.resolve(run()).then(() => {
    throw new Error("span end failed");
  }) as never));
  const result = await entrypoint("async_ok", async () => "value")();
  expect(result).toBe("value");
  await new Promise((resolve) => setImmediate(resolve));
  expect(faults.map((f) => (f.error as Error).message)).toEqual(["span end failed"]);
});

test("a rejection that mirrors the user's own is not a fault and is not unhandled", async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    use(backendWith((_info, run) => Promise.resolve(run()).then((v) => v) as never));
    const own = new Error("async failure");
    await expect(entrypoint("async_fail", async () => {
      throw own;
    })()).rejects.toBe(own);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(faults).toEqual([]);
    expect(unhandled).toEqual([]);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

describe("a backend that hands back what run() returned", () => {
  const values: [string, unknown][] = [["a number", 7], ["0", 0], ["-0", -0], ["NaN", Number.NaN], ["undefined", undefined], ["an object", { a: 1 }]];
  test.each(values)("%s: the caller gets it, and there is no fault", (_label, value) => {
    use(backendWith((_info, run) => run()));
    expect(Object.is(entrypoint("same_value", () => value)(), value)).toBe(true);
    expect(faults).toEqual([]);
  });

  test("an equal value that is not the same (+0 for the function's -0) is a fault, and the caller gets the function's own", () => {
    use(backendWith(<T>(_info: SpanInfo, run: () => T): T => {
      run();
      return 0 as T;
    }));
    expect(Object.is(entrypoint("minus_zero", () => -0)(), -0)).toBe(true);
    expect(faults).toHaveLength(1);
    expect((faults[0]!.error as Error).message).toMatch(/returned something other than what run\(\) returned/);
  });
});

test("faults carry the SpanInfo of the call", () => {
  use(backendWith(() => {
    throw new Error("x");
  }));
  entrypoint("with_info", () => 1, { flow: "flow_a" })();
  expect(faults[0]!.info).toMatchObject({ flow: "flow_a", step: "with_info", kind: "entrypoint" });
});

test("getCorrelationId faults fall back to penstock's own ID", () => {
  const bad: Backend["getCorrelationId"][] = [
    () => {
      throw new Error("no id");
    },
    () => 42 as never,
    () => "x".repeat(1024 * 1024),
    () => "abc\r\nInjected: 1",
  ];
  for (const getCorrelationId of bad) {
    use(backendWith((_info, run) => run(), getCorrelationId));
    const id = entrypoint("ids", () => currentFlowId())();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
  }
  // Each call asks twice: when the root call looks for a trace to continue, and in currentFlowId().
  expect(faults).toHaveLength(8);
});

test("a throwing onError is contained", () => {
  configure({
    backend: backendWith(() => {
      throw new Error("backend");
    }),
    onError: () => {
      throw new Error("onError itself failed");
    },
  });
  expect(entrypoint("contained", () => "ok")()).toBe("ok");
});

test("without onError, one process warning per kind of fault", () => {
  const warnings: string[] = [];
  const spy = jest.spyOn(process, "emitWarning").mockImplementation(((message: string) => {
    warnings.push(message);
  }) as typeof process.emitWarning);
  try {
    configure(backendWith(() => {
      throw new Error("down");
    }));
    const fn = entrypoint("warned", () => 1);
    for (let i = 0; i < 50; i++) expect(fn()).toBe(1);
    configure(backendWith(() => undefined as never));
    for (let i = 0; i < 50; i++) expect(fn()).toBe(1);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/penstock: a tracing fault while tracing warned\/warned: threw from span\(\): down\. Your function ran normally/);
    expect(warnings[1]).toMatch(/without calling run\(\)/);
  } finally {
    spy.mockRestore();
  }
});

describe("a backend that calls run again", () => {
  test("inside span(): the second call returns the first call's value, and the fault carries the SpanInfo", () => {
    const calls = { n: 0 };
    use(backendWith((_info, run) => {
      run();
      return run();
    }));
    expect(sync(calls)(4)).toBe(8);
    expect(calls.n).toBe(1);
    expect(faults).toHaveLength(1);
    expect((faults[0]!.error as Error).message).toMatch(/^The tracing backend "faulty" called run\(\) more than once/);
    expect(faults[0]!.info).toMatchObject({ flow: "user_fn", step: "user_fn", kind: "entrypoint" });
  });

  test("after span() returned (a run kept for later): the function does not run again; the fault is reported without a SpanInfo", () => {
    const calls = { n: 0 };
    let kept: (() => unknown) | undefined;
    use(backendWith((_info, run) => {
      kept = run;
      return run();
    }));
    expect(sync(calls)(5)).toBe(10);
    expect(faults).toHaveLength(0);
    expect(kept!()).toBe(10);
    expect(calls.n).toBe(1);
    expect(faults).toHaveLength(1);
    expect((faults[0]!.error as Error).message).toMatch(/^The tracing backend "faulty" called run\(\) more than once/);
    expect(faults[0]!.info).toBeUndefined();
  });

  test("after span() returned, for a function that threw: the kept run throws the same error again", () => {
    const calls = { n: 0 };
    const own = new Error("own");
    let kept: (() => unknown) | undefined;
    use(backendWith((_info, run) => {
      kept = run;
      return run();
    }));
    expect(() => failing(calls, own)()).toThrow(own);
    expect(() => kept!()).toThrow(own);
    expect(calls.n).toBe(1);
    expect(faults.map(({ info }) => info)).toEqual([undefined]);
  });
});
