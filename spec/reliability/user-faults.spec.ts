// Fault matrix, user-code faults: whatever the user's function throws or returns reaches the
// caller unchanged (identity kept), under every built-in backend, with no extra rejection.
import { configure, entrypoint, type Backend } from "../../lib";
import { recordingBackend, resetPenstock } from "../../lib/testing";
import { captureLogger } from "../support/capture";
import { startOtelSdk, type OtelSdk } from "../support/otel-sdk";

const unhandled: unknown[] = [];
const faults: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const turns = async (n = 3) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};
let sdk: OtelSdk | undefined;

beforeAll(() => process.on("unhandledRejection", onUnhandled));
afterAll(() => process.off("unhandledRejection", onUnhandled));
beforeEach(() => {
  resetPenstock();
  unhandled.length = 0;
  faults.length = 0;
});
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
});

const BACKENDS: [string, () => Backend | "logging" | "otel"][] = [
  ["recording", () => recordingBackend()],
  ["logging (real pino)", () => {
    configure({ logger: captureLogger().logger });
    return "logging";
  }],
  ["otel (real SDK)", () => {
    sdk = startOtelSdk();
    return "otel";
  }],
];

function throwingGetters(): object {
  return Object.create(null, {
    message: { get: () => { throw new Error("getter"); }, enumerable: true },
    stack: { get: () => { throw new Error("getter"); }, enumerable: true },
    name: { get: () => { throw new Error("getter"); }, enumerable: true },
    toString: { get: () => { throw new Error("getter"); } },
    [Symbol.toPrimitive]: { get: () => { throw new Error("getter"); } },
  });
}

const THROWN: [string, () => unknown][] = [
  ["an Error", () => new Error("plain")],
  ["a string", () => "a string"],
  ["undefined", () => undefined],
  ["null", () => null],
  ["a Symbol", () => Symbol("thrown")],
  ["a number", () => 42],
  ["an object with throwing getters", throwingGetters],
  ["a revoked Proxy", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  }],
  ["a circular object", () => {
    const value: Record<string, unknown> = { message: "circular" };
    value.self = value;
    return value;
  }],
];

describe.each(BACKENDS)("under the %s backend", (_name, choose) => {
  beforeEach(() => {
    configure({ backend: choose(), onError: (error) => faults.push(error) });
  });

  test.each(THROWN)("a sync throw of %s reaches the caller as the same value", async (_label, make) => {
    const thrown = make();
    let calls = 0;
    let caught: unknown = "nothing";
    try {
      entrypoint("sync_throws", () => {
        calls++;
        throw thrown;
      })();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(thrown);
    expect(calls).toBe(1);
    await turns();
    expect(unhandled).toEqual([]);
  });

  test.each(THROWN)("a rejection with %s: exactly that one rejection surfaces", async (_label, make) => {
    const thrown = make();
    let calls = 0;
    const result = entrypoint("async_rejects", async () => {
      calls++;
      throw thrown;
    })();
    let caught: unknown = "nothing";
    await result.then(undefined, (error: unknown) => {
      caught = error;
    });
    expect(caught).toBe(thrown);
    expect(calls).toBe(1);
    await turns();
    expect(unhandled).toEqual([]);
  });

  test("a custom thenable comes back as the same object; penstock calls its then at most once", async () => {
    let thenCalls = 0;
    const thenable = {
      then(resolve: (value: number) => void) {
        thenCalls++;
        resolve(5);
      },
    };
    const result = entrypoint("thenable", () => thenable)();
    expect(result).toBe(thenable);
    await turns();
    expect(thenCalls).toBeLessThanOrEqual(1);
    expect(unhandled).toEqual([]);
  });

  test("a rejecting custom thenable: then called at most once, no rejection of penstock's own", async () => {
    let thenCalls = 0;
    const thenable = {
      then(_resolve: unknown, reject: (reason: unknown) => void) {
        thenCalls++;
        reject(new Error("thenable failed"));
      },
    };
    const result = entrypoint("rejecting_thenable", () => thenable)();
    expect(result).toBe(thenable);
    await turns();
    expect(thenCalls).toBeLessThanOrEqual(1);
    expect(unhandled).toEqual([]);
  });

  test("a thenable whose then throws, or whose then getter throws, comes back unchanged", async () => {
    const throwingThen = { then() {
      throw new Error("then threw");
    } };
    const throwingGetter = Object.defineProperty({}, "then", { get() {
      throw new Error("then getter threw");
    } });
    expect(entrypoint("throwing_then", () => throwingThen)()).toBe(throwingThen);
    expect(entrypoint("throwing_then_getter", () => throwingGetter)()).toBe(throwingGetter);
    await turns();
    expect(unhandled).toEqual([]);
  });

  test("a sync function returning a promise: the caller gets that promise; the span ends when it settles", async () => {
    let release!: (value: string) => void;
    const own = new Promise<string>((resolve) => (release = resolve));
    const result = entrypoint("returns_promise", () => own)();
    expect(result).toBe(own);
    release("late");
    await expect(result).resolves.toBe("late");
    await turns();
    expect(unhandled).toEqual([]);
  });
});

test("the recording backend sees a sync function's returned promise end when it settles", async () => {
  const recorder = recordingBackend();
  configure(recorder);
  let release!: () => void;
  const own = new Promise<void>((resolve) => (release = resolve));
  entrypoint("span_on_settle", () => own)();
  await turns();
  expect(recorder.spans).toHaveLength(0);
  release();
  await turns();
  expect(recorder.spans.map((span) => span.step)).toEqual(["span_on_settle"]);
});
