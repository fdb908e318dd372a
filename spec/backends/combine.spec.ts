// Logs and spans together: configure({ backend: ["otel", "logging"] }) and combineBackends run
// several backends on one call with one ID; a fault in one never reaches another or the user.
import pino from "pino";
import { combineBackends, configure, currentFlowId, entrypoint, getBackend, isPenstockError, loggingBackend, step, type Backend } from "../../lib";
import { otelBackend } from "../../lib/otel";
import { recordingBackend, resetPenstock } from "../../lib/testing";
import { captureLogger, type CapturedLogger } from "../support/capture";
import { backendWith, MISBEHAVING_SPANS } from "../support/misbehaving-backends";
import { startOtelSdk, type OtelSdk } from "../support/otel-sdk";

let sdk: OtelSdk | undefined;
let capture: CapturedLogger;

beforeEach(() => {
  resetPenstock();
  capture = captureLogger();
});

afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
});

const checkout = entrypoint("checkout", async (order: string) => {
  const first = currentFlowId();
  await charge(order);
  return first;
}, { flow: "combined" });
const charge = step("charge", async (order: string) => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return order;
}, { after: checkout });

describe('configure({ backend: ["otel", "logging"] }) under a real SDK', () => {
  test("every log line carries the trace ID and that call's OTel span ID, from the entrypoint's first line on", async () => {
    sdk = startOtelSdk();
    configure({ backend: ["otel", "logging"], logger: capture.logger });
    const id = await checkout("A-1");
    const root = sdk.span("checkout").spanContext();
    const child = sdk.span("charge");
    expect(id).toBe(root.traceId);
    const lines = capture.records();
    expect(lines.map((line) => `${line.step} ${line.msg}`)).toEqual(["checkout step.start", "charge step.start", "charge step.end", "checkout step.end"]);
    for (const line of lines) expect(line.correlation_id).toBe(root.traceId);
    const byStep = (name: string) => lines.filter((line) => line.step === name);
    for (const line of byStep("checkout")) {
      expect(line.span_id).toBe(root.spanId);
      expect(line.parent_span_id).toBeUndefined();
    }
    for (const line of byStep("charge")) {
      expect(line.span_id).toBe(child.spanContext().spanId);
      expect(line.parent_span_id).toBe(root.spanId);
    }
    expect(child.parentSpanContext?.spanId).toBe(root.spanId);
    expect(getBackend().name).toBe("otel+logging");
  });

  test("the order given does not matter: the backend that names flows runs outermost", async () => {
    sdk = startOtelSdk();
    configure({ backend: ["logging", "otel"], logger: capture.logger });
    await checkout("A-2");
    const root = sdk.span("checkout").spanContext();
    expect(capture.records()[0]).toMatchObject({ step: "checkout", msg: "step.start", correlation_id: root.traceId, span_id: root.spanId });
    expect(getBackend().name).toBe("otel+logging");
  });

  test("auto-detection with a logger given keeps the step logs when an SDK is found: both run, with one ID", async () => {
    sdk = startOtelSdk();
    configure({ logger: capture.logger });
    const id = await checkout("A-3");
    expect(getBackend().name).toBe("otel+logging");
    expect(capture.records().every((line) => line.correlation_id === id)).toBe(true);
    expect(sdk.spans().map((span) => span.name)).toEqual(["charge", "checkout"]);
  });

  test("combineBackends(otelBackend(), loggingBackend(), recordingBackend()) gives every backend the same IDs", async () => {
    sdk = startOtelSdk();
    const recorder = recordingBackend();
    configure(combineBackends(otelBackend(), loggingBackend({ logger: capture.logger }), recorder));
    await checkout("A-4");
    const root = sdk.span("checkout").spanContext();
    expect(recorder.spans.map((span) => [span.step, span.correlationId, span.spanId])).toEqual([
      ["charge", root.traceId, sdk.span("charge").spanContext().spanId],
      ["checkout", root.traceId, root.spanId],
    ]);
  });
});

describe("a fault in one backend never affects another or the user's function", () => {
  describe.each(MISBEHAVING_SPANS.map((m) => [m.label, m.span] as const))("a backend whose span() %s", (_label, span) => {
    test.each([
      ["before", (faulty: Backend) => combineBackends(faulty, loggingBackend({ logger: capture.logger }))],
      ["after", (faulty: Backend) => combineBackends(loggingBackend({ logger: capture.logger }), faulty)],
    ])("listed %s the logging backend: the function runs once, its value and error reach the caller, the logs are complete", async (_where, combine) => {
      const faults: unknown[] = [];
      configure({ backend: combine(backendWith(span)), onError: (error) => faults.push(error) });
      let calls = 0;
      const ok = entrypoint("combined_ok", (x: number) => {
        calls++;
        return x * 2;
      }, { flow: "faults" });
      const failure = new Error("own failure");
      const fails = entrypoint("combined_fails", () => {
        calls++;
        throw failure;
      }, { flow: "faults" });
      const result = ok(21);
      // A backend that goes async around the call may hand back its own promise to the layer; the caller still gets 42.
      expect(result).toBe(42);
      expect(() => fails()).toThrow(failure);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(calls).toBe(2);
      const ends = capture.records().filter((line) => line.msg === "step.end");
      expect(ends.map((line) => [line.step, line.outcome])).toEqual([
        ["combined_ok", "ok"],
        ["combined_fails", "error"],
      ]);
      expect(faults.length).toBeGreaterThan(0);
    });
  });
});

describe("clear errors for common misconfigurations", () => {
  const code = (fn: () => void): string | undefined => {
    try {
      fn();
    } catch (error) {
      return isPenstockError(error) ? `${error.code}: ${error.message}` : String(error);
    }
    return undefined;
  };

  test("configure(pino()) says to pass { logger }", () => {
    expect(code(() => configure(pino() as never))).toMatch(/^INVALID_BACKEND: .*configure\(\{ logger \}\)/);
  });

  test("configure(otelBackend), the factory itself, says to call it", () => {
    expect(code(() => configure(otelBackend as never))).toMatch(/^INVALID_BACKEND: .*otelBackend itself.*configure\(otelBackend\(\)\)/);
    expect(code(() => configure({ backend: loggingBackend as never }))).toMatch(/configure\(\{ backend: loggingBackend\(\) \}\)/);
  });

  test("bad lists are refused, naming the entry", () => {
    expect(code(() => configure({ backend: [] }))).toMatch(/^INVALID_BACKEND: .*empty list/);
    expect(code(() => configure({ backend: ["otel", "auto" as never] }))).toMatch(/backend\[1\] is "auto"/);
    expect(code(() => configure({ backend: ["logging", "zipkin" as never] }))).toMatch(/^UNKNOWN_BACKEND: configure\(options\)\.backend\[1\]/);
    expect(code(() => combineBackends())).toMatch(/^INVALID_BACKEND: .*at least one/);
    expect(code(() => combineBackends(loggingBackend(), 42 as never))).toMatch(/backends\[1\] must be a backend record/);
  });

  test("a rejected configure() changes nothing", () => {
    configure("logging");
    const before = getBackend();
    expect(code(() => configure({ backend: ["logging", {} as never] }))).toMatch(/^INVALID_BACKEND/);
    expect(getBackend()).toBe(before);
  });
});

test("flush() flushes every backend, even when one fails to", async () => {
  const flushed: string[] = [];
  const one: Backend = { name: "one", span: (_info, run) => run(), getCorrelationId: () => undefined, flush: async () => void flushed.push("one") };
  const two: Backend = { name: "two", span: (_info, run) => run(), getCorrelationId: () => undefined, flush: () => Promise.reject(new Error("disk full")) };
  const three: Backend = { name: "three", span: (_info, run) => run(), getCorrelationId: () => undefined, flush: async () => void flushed.push("three") };
  await expect(combineBackends(one, two, three).flush!()).resolves.toBeUndefined();
  expect(flushed).toEqual(["one", "three"]);
});
