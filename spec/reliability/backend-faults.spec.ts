// Fault matrix, backend faults: whatever a backend does, the user's function runs exactly
// once, a sync call stays sync, its own value or error reaches the caller, no unhandled
// rejection is created, and the fault reaches onError (default: one warning per kind).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { configure, currentFlowId, entrypoint, step, type Backend, type SpanInfo } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { backendWith, MISBEHAVING_SPANS } from "../support/misbehaving-backends";

type Span = Backend["span"];
const HEX32 = /^[0-9a-f]{32}$/;
const faults: unknown[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const turns = async (n = 3) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

beforeAll(() => process.on("unhandledRejection", onUnhandled));
afterAll(() => process.off("unhandledRejection", onUnhandled));
beforeEach(() => {
  resetPenstock();
  faults.length = 0;
  unhandled.length = 0;
});

function use(span: Span, getCorrelationId: Backend["getCorrelationId"] = () => undefined, withOnError = true): void {
  const backend = backendWith(span, getCorrelationId);
  configure(withOnError ? { backend, onError: (error) => faults.push(error) } : { backend });
}

describe.each(MISBEHAVING_SPANS.map((m) => [m.label, m.span, m.faultOnSuccess] as const))("a backend whose span() %s", (_label, span, faultOnSuccess) => {
  test("sync function: runs once, stays sync, its value reaches the caller", async () => {
    use(span);
    let calls = 0;
    const result = entrypoint("sync_ok", (x: number) => {
      calls++;
      return x * 2;
    })(21);
    expect(result).toBe(42);
    await turns();
    expect(calls).toBe(1);
    expect(faults.length > 0).toBe(faultOnSuccess);
    expect(unhandled).toEqual([]);
  });

  test("sync function that throws: runs once, its own error reaches the caller", async () => {
    use(span);
    let calls = 0;
    const own = new Error("own");
    expect(() => entrypoint("sync_throw", () => {
      calls++;
      throw own;
    })()).toThrow(own);
    await turns();
    expect(calls).toBe(1);
    expect(unhandled).toEqual([]);
  });

  test("async function: runs once, the caller gets its own promise and value", async () => {
    use(span);
    let calls = 0;
    let own: Promise<number> | undefined;
    const fn = entrypoint("async_ok", (x: number) => {
      calls++;
      own = Promise.resolve(x + 1);
      return own;
    });
    const result = fn(1);
    expect(result).toBe(own);
    await expect(result).resolves.toBe(2);
    await turns();
    expect(calls).toBe(1);
    expect(unhandled).toEqual([]);
  });

  test("async function that rejects: exactly its own rejection surfaces", async () => {
    use(span);
    let calls = 0;
    const own = new Error("own rejection");
    const result = entrypoint("async_reject", async () => {
      calls++;
      throw own;
    })();
    await expect(result).rejects.toBe(own);
    await turns();
    expect(calls).toBe(1);
    expect(unhandled).toEqual([]);
  });

  test("a step inside an entrypoint is shielded the same way", async () => {
    use(span);
    let calls = 0;
    const inner = step("inner", () => ++calls, { flow: "outer_fault" });
    const outer = entrypoint("outer_fault", () => inner() + 100);
    expect(outer()).toBe(101);
    await turns();
    expect(calls).toBe(1);
    expect(unhandled).toEqual([]);
  });
});

describe("getCorrelationId faults", () => {
  const passThrough: Span = (_info, run) => run();
  describe.each<[string, () => unknown]>([
    ["throws", () => {
      throw new Error("no id");
    }],
    ["returns a number", () => 42],
    ["returns an object", () => ({ toString: () => "sneaky" })],
    ["returns a 1 MB string", () => "a".repeat(1 << 20)],
    ["returns an ID with CR/LF", () => "abc\r\nX-Injected: 1"],
    ["returns an empty string", () => ""],
  ])("getCorrelationId() %s", (_label, getCorrelationId) => {
    test("the call runs normally with penstock's own 32-hex ID; the fault is reported", async () => {
      use(passThrough, getCorrelationId as Backend["getCorrelationId"]);
      const seen: SpanInfo[] = [];
      configure({ backend: { name: "faulty", span: (info, run) => (seen.push(info), run()), getCorrelationId: getCorrelationId as Backend["getCorrelationId"] } });
      const result = entrypoint("ids", () => currentFlowId())();
      expect(result).toMatch(HEX32);
      expect(seen[0]!.correlationId).toMatch(HEX32);
      expect(faults.length).toBeGreaterThan(0);
      await turns();
      expect(unhandled).toEqual([]);
    });
  });
});

describe("the default onError: one process warning per kind, never a flood", () => {
  // Jest's sandboxed `process` does not relay "warning" events: the emitter is observed instead.
  const warnings: Error[] = [];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    warnings.length = 0;
    spy = jest.spyOn(process, "emitWarning").mockImplementation(((message: string, options?: { code?: string }) => {
      warnings.push(Object.assign(new Error(message), { code: options?.code }));
    }) as typeof process.emitWarning);
  });
  afterEach(() => {
    spy.mockRestore();
  });

  test.each(MISBEHAVING_SPANS.map((m) => [m.label, m.span] as const))("a backend whose span() %s, called 200 times", async (_label, span) => {
    use(span, () => undefined, false);
    const own = new Error("own");
    for (let i = 0; i < 200; i++) {
      expect(entrypoint(`flood_${i % 3}`, () => i)()).toBe(i);
      expect(() => entrypoint(`flood_throw_${i % 3}`, () => {
        throw own;
      })()).toThrow(own);
    }
    await turns(5);
    const ours = warnings.filter((warning) => (warning as { code?: string }).code === "PENSTOCK_BACKEND_FAULT");
    expect(ours.length).toBeGreaterThan(0);
    // One per kind at most: every message names a different kind.
    // "penstock: a tracing fault while tracing F/S: <kind>: <detail>..."
    const kinds = new Set(ours.map((warning) => warning.message.split(": ")[2]));
    expect(ours.length).toBe(kinds.size);
    expect(ours.length).toBeLessThanOrEqual(3);
    expect(unhandled).toEqual([]);
  });

  test("getCorrelationId() throwing on every call warns once", async () => {
    use((_info, run) => run(), () => {
      throw new Error("no id");
    }, false);
    for (let i = 0; i < 200; i++) entrypoint("flood_id", () => currentFlowId())();
    await turns(5);
    expect(warnings.filter((warning) => (warning as { code?: string }).code === "PENSTOCK_BACKEND_FAULT")).toHaveLength(1);
  });

  test("an onError that throws changes nothing for the caller", () => {
    configure({ backend: { span: () => {
      throw new Error("down");
    }, getCorrelationId: () => undefined }, onError: () => {
      throw new Error("onError broke");
    } });
    expect(entrypoint("on_error_throws", () => "fine")()).toBe("fine");
  });
});

test("in a real process (dist/), 10,000 calls through a backend faulting four ways emit one warning per kind", () => {
  // The timeout only guards against a hang; it is not a performance assertion.
  const child = spawnSync(process.execPath, [join(__dirname, "fixtures", "warnings.mjs")], { encoding: "utf8", timeout: 60_000 });
  expect(child.status).toBe(0);
  const { ok, count, kinds } = JSON.parse(child.stdout.trim()) as { ok: boolean; count: number; kinds: string[] };
  expect(ok).toBe(true);
  expect(count).toBe(kinds.length);
  expect(kinds).toEqual([
    "called run() more than once",
    "returned a promise that rejected on its own",
    "returned an unusable correlation ID from getCorrelationId()",
    "returned from span() without calling run()",
    "returned something other than what run() returned",
    "threw from span()",
  ]);
});
