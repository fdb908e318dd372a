// Fault matrix, bad metadata: attributes and flow values of any shape never throw, never
// pollute a prototype, and what reaches the backend is capped.
import { configure, entrypoint, getFlowContext, getFlowValue, runInFlow, setFlowValue, type Attributes } from "../../lib";
import { recordingBackend, resetPenstock, type RecordingBackend } from "../../lib/testing";
import { captureLogger } from "../support/capture";
import { startOtelSdk } from "../support/otel-sdk";

let recorder: RecordingBackend;
const faults: unknown[] = [];

beforeEach(() => {
  resetPenstock();
  faults.length = 0;
  recorder = recordingBackend();
  configure({ backend: recorder, onError: (error) => faults.push(error) });
});
afterEach(() => {
  // No prototype was polluted by anything a test did.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
});

function circular(): Record<string, unknown> {
  const value: Record<string, unknown> = { name: "loop" };
  value.self = value;
  return value;
}

const BAD: [string, () => unknown, Attributes][] = [
  ["a circular object value", () => ({ ok: "yes", loop: circular() }), { ok: "yes" }],
  ["a throwing getter", () => Object.defineProperty({ ok: 1 }, "bad", { get: () => { throw new Error("getter"); }, enumerable: true }), { ok: 1 }],
  ["a throwing toJSON", () => ({ ok: true, bad: { toJSON: () => { throw new Error("toJSON"); } } }), { ok: true }],
  ["a toJSON on the record itself", () => ({ ok: "kept", toJSON: () => ({ replaced: true }) }), { ok: "kept" }],
  ["a __proto__ key (JSON.parse)", () => JSON.parse('{"__proto__": {"polluted": "yes"}, "ok": "x"}'), { ok: "x" }],
  ["a __proto__ key with a primitive", () => JSON.parse('{"__proto__": "string", "ok": "x"}'), { ["__proto__"]: "string", ok: "x" } as Attributes],
  ["a constructor key", () => ({ constructor: { prototype: { polluted: "yes" } }, ok: "x" }), { ok: "x" }],
  ["functions, symbols, null, undefined, bigint", () => ({ f: () => 1, s: Symbol("s"), n: null, u: undefined, b: 1n, ok: "x" }), { ok: "x" }],
  ["an array with mixed items", () => ({ list: [1, "a", {}, null, true] }), { list: [1, "a", true] }],
  ["not an object (a string)", () => "attributes", {}],
  ["null", () => null, {}],
  ["an array instead of a record", () => ["a", "b"], {}],
  ["a revoked Proxy", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  }, {}],
  ["a Proxy whose ownKeys throws", () => new Proxy({}, { ownKeys: () => { throw new Error("ownKeys"); } }), {}],
];

describe.each(BAD)("an attributes callback returning %s", (_label, make, expected) => {
  test("the call runs normally and the backend gets only the usable attributes", () => {
    const fn = entrypoint("bad_attributes", (x: number) => x + 1, { attributes: () => make() as Attributes });
    expect(fn(1)).toBe(2);
    const attributes = recorder.spans[0]!.attributes;
    expect(Object.keys(attributes).sort()).toEqual(Object.keys(expected).sort());
    for (const key of Object.keys(expected)) expect(attributes[key]).toEqual(expected[key]);
    expect(Object.isFrozen(attributes)).toBe(true);
  });
});

test("the same bad attributes go through the logging backend (real pino) and the OpenTelemetry SDK", async () => {
  const captured = captureLogger();
  const attributes = () => ({ ...JSON.parse('{"__proto__": {"polluted": "yes"}}'), loop: circular(), ok: "x" }) as Attributes;
  configure({ backend: "logging", logger: captured.logger, onError: () => undefined });
  expect(entrypoint("bad_logged", () => "fine", { attributes })()).toBe("fine");
  expect(captured.records().map((record) => record.ok)).toEqual(["x", "x"]);
  const sdk = startOtelSdk();
  try {
    configure("otel");
    expect(entrypoint("bad_spans", () => "fine", { attributes })()).toBe("fine");
    expect(sdk.span("bad_spans").attributes.ok).toBe("x");
  } finally {
    await sdk.shutdown();
  }
});

test("a throwing attributes callback is a fault, not an error of the call", () => {
  const fn = entrypoint("attributes_throw", () => "fine", { attributes: () => {
    throw new Error("attributes broke");
  } });
  expect(fn()).toBe("fine");
  expect(faults).toHaveLength(1);
  expect(recorder.spans[0]!.attributes).toEqual({});
});

describe("caps (docs/reliability.md)", () => {
  test("strings are cut to 4096 characters, arrays to 128 items, records to 64 keys, names over 256 dropped", () => {
    const many: Record<string, number> = {};
    for (let i = 0; i < 100; i++) many[`k${String(i).padStart(3, "0")}`] = i;
    const fn = entrypoint("huge", () => "fine", {
      attributes: () => ({ huge: "x".repeat(1 << 20), list: Array.from({ length: 100_000 }, (_, i) => i), ["n".repeat(300)]: 1, ...many }),
    });
    expect(fn()).toBe("fine");
    const attributes = recorder.spans[0]!.attributes;
    expect(Object.keys(attributes)).toHaveLength(64);
    expect((attributes.huge as string).length).toBe(4096);
    expect((attributes.list as number[]).length).toBe(128);
    expect(attributes["n".repeat(300)]).toBeUndefined();
  });

  test("static attributes are capped the same way, once, at wrap time", () => {
    const fn = entrypoint("huge_static", () => "fine", { attributes: { huge: "y".repeat(10_000), list: Array.from({ length: 500 }, () => "v") } });
    expect(fn()).toBe("fine");
    expect((recorder.spans[0]!.attributes.huge as string).length).toBe(4096);
    expect((recorder.spans[0]!.attributes.list as string[]).length).toBe(128);
  });
});

describe("flow values hold anything and never reach the backend", () => {
  test("circular, throwing, huge and __proto__-keyed values are stored and read back as they are", () => {
    const loop = circular();
    const throwing = { get bad(): never {
      throw new Error("getter");
    }, toJSON(): never {
      throw new Error("toJSON");
    } };
    const huge = "z".repeat(1 << 20);
    const fn = entrypoint("values", () => {
      setFlowValue("__proto__", { polluted: "yes" });
      setFlowValue("constructor", "c");
      setFlowValue("loop", loop);
      setFlowValue("throwing", throwing);
      setFlowValue("huge", huge);
      const context = getFlowContext()!;
      return [getFlowValue("__proto__"), getFlowValue("loop"), getFlowValue("throwing"), getFlowValue("huge"), context.values.size];
    });
    const [proto, gotLoop, gotThrowing, gotHuge, size] = fn();
    expect(proto).toEqual({ polluted: "yes" });
    expect(gotLoop).toBe(loop);
    expect(gotThrowing).toBe(throwing);
    expect(gotHuge).toBe(huge);
    expect(size).toBe(5);
    expect(JSON.stringify(recorder.spans[0]!.info)).not.toContain("polluted");
  });

  test("runInFlow values with such keys and values are held in a Map", () => {
    const loop = circular();
    const got = runInFlow({ values: [["__proto__", { polluted: "yes" }], ["loop", loop]] }, () => [getFlowValue("__proto__"), getFlowValue("loop")]);
    expect(got).toEqual([{ polluted: "yes" }, loop]);
  });
});
