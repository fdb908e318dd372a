import { configure, currentFlowId, entrypoint, loggingBackend, step } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { captureLogger } from "../support/capture";
import { waitAtLeast } from "../support/wait-at-least";

beforeEach(() => resetPenstock());

function setup(level?: "debug" | "info") {
  const captured = captureLogger({ level: "debug" });
  configure(loggingBackend({ logger: captured.logger, ...(level ? { level } : {}) }));
  return captured;
}

test("writes step.start and step.end with the documented fields", () => {
  const { records } = setup();
  const validate = step("validate", (n: number) => n > 0, { flow: "orders", attributes: { rule: "positive" } });
  const receive = entrypoint("receive", (n: number) => validate(n), { flow: "orders", attributes: (n) => ({ n }) });
  expect(receive(5)).toBe(true);
  const lines = records();
  expect(lines.map((r) => [r.msg, r.step])).toEqual([
    ["step.start", "receive"],
    ["step.start", "validate"],
    ["step.end", "validate"],
    ["step.end", "receive"],
  ]);
  const [start, innerStart, innerEnd, end] = lines as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
  expect(start).toMatchObject({ level: 30, flow: "orders", step: "receive", kind: "entrypoint", n: 5 });
  expect(start.correlation_id).toMatch(/^[0-9a-f]{32}$/);
  expect(start.span_id).toMatch(/^[0-9a-f]{16}$/);
  expect(start).not.toHaveProperty("parent_span_id");
  expect(start).not.toHaveProperty("duration_ms");
  expect(innerStart).toMatchObject({ kind: "step", rule: "positive", correlation_id: start.correlation_id, parent_span_id: start.span_id });
  expect(innerEnd).toMatchObject({ outcome: "ok", span_id: innerStart.span_id, parent_span_id: start.span_id });
  expect(typeof end.duration_ms).toBe("number");
  expect(end.duration_ms as number).toBeGreaterThanOrEqual(0);
  expect(end).toMatchObject({ outcome: "ok", level: 30, span_id: start.span_id });
});

test("both records are written when the step throws; the end is at level error with err", () => {
  const { records } = setup();
  const boom = new RangeError("out of stock");
  const fails = entrypoint("reserve", () => {
    throw boom;
  });
  expect(() => fails()).toThrow(boom);
  const [start, end] = records() as [Record<string, unknown>, Record<string, unknown>];
  expect(start.msg).toBe("step.start");
  expect(end).toMatchObject({ msg: "step.end", level: 50, outcome: "error", err: { type: "RangeError", message: "out of stock" } });
});

test("async steps end when their promise settles", async () => {
  const { records } = setup();
  const slow = entrypoint("slow", async () => {
    await waitAtLeast(30);
    return "done";
  });
  const pending = slow();
  expect(records().map((r) => r.msg)).toEqual(["step.start"]);
  await expect(pending).resolves.toBe("done");
  const end = records()[1]!;
  expect(end).toMatchObject({ msg: "step.end", outcome: "ok" });
  expect(end.duration_ms as number).toBeGreaterThanOrEqual(30);
});

test("rejections are logged at level error", async () => {
  const { records } = setup();
  await expect(entrypoint("rejects", async () => {
    throw new Error("nope");
  })()).rejects.toThrow("nope");
  expect(records()[1]).toMatchObject({ level: 50, outcome: "error", err: { message: "nope" } });
});

test("the level option applies to start and successful end records", () => {
  const { records } = setup("debug");
  entrypoint("quiet", () => 1)();
  expect(records().map((r) => r.level)).toEqual([20, 20]);
});

test("penstock's fields win a clash with attributes", () => {
  const { records } = setup();
  entrypoint("clash", () => 1, { attributes: { flow: "spoofed", correlation_id: "spoofed" } })();
  expect(records()[0]).toMatchObject({ flow: "clash" });
  expect(records()[0]!.correlation_id).not.toBe("spoofed");
});

test("a record has exactly the documented fields with no attributes, empty ones, an empty result or a failing callback", () => {
  const { records } = setup();
  configure({ onError: () => {} });
  const plain = step("plain", () => 1, { flow: "fields", after: "fields" });
  const empty = step("empty", () => 2, { flow: "fields", after: "fields", attributes: {} });
  const nothing = step("nothing", () => 4, { flow: "fields", after: "fields", attributes: () => ({}) });
  const failing = step("failing", () => 3, {
    flow: "fields",
    after: "fields",
    attributes: () => {
      throw new Error("no attributes today");
    },
  });
  entrypoint("fields", () => plain() + empty() + nothing() + failing())();
  const own = ["level", "time", "pid", "hostname", "name", "flow", "step", "kind", "correlation_id", "span_id", "parent_span_id", "msg"];
  const steps = records().filter((r) => r.kind === "step");
  expect(steps).toHaveLength(8);
  for (const record of steps) {
    const expected = record.msg === "step.start" ? own : [...own.slice(0, -1), "duration_ms", "outcome", "msg"];
    expect(Object.keys(record)).toEqual(expected);
  }
});

test("getCorrelationId has no ID of its own: the flow's ID is penstock's, in the records and from currentFlowId()", () => {
  const captured = captureLogger();
  const backend = loggingBackend({ logger: captured.logger });
  configure(backend);
  expect(backend.getCorrelationId()).toBeUndefined();
  const [fromBackend, fromFlow] = entrypoint("inside", () => [backend.getCorrelationId(), currentFlowId()])();
  expect(fromBackend).toBeUndefined();
  expect(fromFlow).toMatch(/^[0-9a-f]{32}$/);
  expect(captured.records().map((r) => r.correlation_id)).toEqual([fromFlow, fromFlow]);
});

test("a disabled logger writes nothing and the call still works", () => {
  const captured = captureLogger({ level: "silent" });
  configure(loggingBackend({ logger: captured.logger }));
  expect(entrypoint("silent", () => 3)()).toBe(3);
  expect(captured.records()).toEqual([]);
});

test("a level changed at run time applies to the next call, either way", () => {
  const captured = captureLogger({ level: "info" });
  configure(loggingBackend({ logger: captured.logger }));
  const call = entrypoint("levels", () => 1);
  const failing = entrypoint("levels_fail", () => {
    throw new Error("down");
  });
  call();
  expect(captured.records().map((r) => r.msg)).toEqual(["step.start", "step.end"]);
  captured.logger.level = "error";
  call();
  expect(captured.records()).toHaveLength(2);
  expect(() => failing()).toThrow("down");
  expect(captured.records().slice(2).map((r) => [r.msg, r.level])).toEqual([["step.end", 50]]);
  captured.logger.level = "silent";
  expect(() => failing()).toThrow("down");
  expect(captured.records()).toHaveLength(3);
  captured.logger.level = "info";
  call();
  expect(captured.records().slice(3).map((r) => r.msg)).toEqual(["step.start", "step.end"]);
});

describe("a logger that throws never changes the call", () => {
  function throwingLogger(failOn: "step.start" | "step.end") {
    const captured = captureLogger();
    const original = captured.logger.info.bind(captured.logger);
    captured.logger.info = ((record: unknown, msg?: string) => {
      if (msg === failOn) throw new Error(`logger broke on ${failOn}`);
      original(record as object, msg);
    }) as typeof captured.logger.info;
    return captured;
  }

  test.each(["step.start", "step.end"] as const)("throwing on %s: the function runs once, its value and its error reach the caller, the fault is reported", async (failOn) => {
    const faults: unknown[] = [];
    configure({ backend: loggingBackend({ logger: throwingLogger(failOn).logger }), onError: (error) => faults.push(error) });
    let calls = 0;
    const sync = entrypoint("sync", (n: number) => (calls++, n * 2));
    const failing = entrypoint("failing", () => {
      calls++;
      throw new TypeError("own");
    });
    const later = entrypoint("later", async (n: number) => (calls++, n + 1));
    expect(sync(21)).toBe(42);
    expect(() => failing()).toThrow(TypeError);
    await expect(later(1)).resolves.toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(3);
    expect(faults.length).toBeGreaterThanOrEqual(failOn === "step.start" ? 3 : 2);
    expect(faults.every((fault) => fault instanceof Error && /logger broke/.test(fault.message))).toBe(true);
  });
});
