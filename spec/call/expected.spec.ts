// Expected errors: entrypoint/step(name, fn, { expected }) and configure({ expected }). Such an
// error is rethrown unchanged, logged at warn with outcome "expected" (name and message, no
// stack), and on the OpenTelemetry span an exception event with status UNSET.
import { SpanStatusCode } from "@opentelemetry/api";
import { configure, entrypoint, isExpectedError, isPenstockError, loggingBackend, step } from "../../lib";
import { recordingBackend, resetPenstock } from "../../lib/testing";
import { captureLogger, type CapturedLogger } from "../support/capture";
import { startOtelSdk, type OtelSdk } from "../support/otel-sdk";

class ValidationError extends Error {
  override name = "ValidationError";
}
const isValidation = (error: unknown): boolean => error instanceof ValidationError;

let capture: CapturedLogger;
let sdk: OtelSdk | undefined;

beforeEach(() => {
  resetPenstock();
  capture = captureLogger();
});
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
});

// A request handler whose validation step rejects bad input with a 400-style error.
const validate = step("validate", (input: string) => {
  if (input === "") throw new ValidationError("name is required");
  return input;
}, { flow: "signup", expected: isValidation });
const signup = entrypoint("signup", (input: string) => validate(input), { flow: "signup" });

test("a step's expected error is rethrown unchanged and logged at warn, outcome expected, without a stack", () => {
  configure({ backend: loggingBackend({ logger: capture.logger }) });
  let thrown: unknown;
  try {
    signup("");
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ValidationError);
  const validateEnd = capture.records().find((record) => record.step === "validate" && record.msg === "step.end")!;
  expect(validateEnd).toMatchObject({ level: 40, outcome: "expected", error: { name: "ValidationError", message: "name is required" } });
  expect(JSON.stringify(validateEnd)).not.toContain("stack");
  expect(validateEnd).not.toHaveProperty("err");
  // The entrypoint has no expected option of its own: to it, the same error is a failure.
  expect(capture.records().find((record) => record.step === "signup" && record.msg === "step.end")).toMatchObject({ level: 50, outcome: "error" });
});

test("configure({ expected }) applies to every step: no level-50 line for a validation failure", async () => {
  configure({ backend: loggingBackend({ logger: capture.logger }), expected: isValidation });
  const asyncSignup = entrypoint("async_signup", async (input: string) => validate(input), { flow: "signup" });
  await expect(asyncSignup("")).rejects.toBeInstanceOf(ValidationError);
  const ends = capture.records().filter((record) => record.msg === "step.end");
  expect(ends.map((record) => [record.step, record.level, record.outcome])).toEqual([
    ["validate", 40, "expected"],
    ["async_signup", 40, "expected"],
  ]);
  // Unexpected errors are failures as before.
  const broken = entrypoint("broken", () => {
    throw new TypeError("bug");
  }, { flow: "signup" });
  expect(() => broken()).toThrow(TypeError);
  expect(capture.records().at(-1)).toMatchObject({ step: "broken", level: 50, outcome: "error", err: { type: "TypeError", message: "bug" } });
});

test("on an OpenTelemetry span: an exception event, status UNSET; an unexpected error still sets ERROR", () => {
  sdk = startOtelSdk();
  configure({ backend: "otel", expected: isValidation });
  expect(() => signup("")).toThrow(ValidationError);
  for (const name of ["validate", "signup"]) {
    const span = sdk.span(name);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.events.map((event) => [event.name, event.attributes?.["exception.type"], event.attributes?.["exception.message"]])).toEqual([
      ["exception", "ValidationError", "name is required"],
    ]);
    expect(span.attributes["penstock.outcome"]).toBe("expected");
  }
  const broken = entrypoint("otel_broken", () => {
    throw new TypeError("bug");
  }, { flow: "signup" });
  expect(() => broken()).toThrow(TypeError);
  expect(sdk.span("otel_broken").status.code).toBe(SpanStatusCode.ERROR);
});

test("recordingBackend and isExpectedError tell expected errors apart for tests and custom backends", () => {
  const recorder = recordingBackend();
  configure(recorder);
  expect(() => signup("")).toThrow(ValidationError);
  expect(recorder.spans.map((span) => [span.step, span.outcome])).toEqual([
    ["validate", "expected"],
    ["signup", "error"],
  ]);
  expect(isExpectedError(recorder.spans[0]!.info, new ValidationError("x"))).toBe(true);
  expect(isExpectedError(recorder.spans[0]!.info, new Error("x"))).toBe(false);
});

test("a predicate that throws makes the error unexpected and is reported; the caller still gets the function's error", () => {
  const faults: unknown[] = [];
  configure({ backend: loggingBackend({ logger: capture.logger }), onError: (fault) => faults.push(fault), expected: () => {
    throw new Error("predicate bug");
  } });
  const original = new ValidationError("bad");
  const fails = entrypoint("fails_oddly", () => {
    throw original;
  }, { flow: "signup" });
  expect(() => fails()).toThrow(original);
  expect(capture.records().at(-1)).toMatchObject({ outcome: "error", level: 50 });
  expect(faults).toEqual([expect.objectContaining({ message: "predicate bug" })]);
});

test("bad expected options are refused at wrap time and in configure, naming the field", () => {
  const message = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      return isPenstockError(error) ? `${error.code}: ${error.message}` : String(error);
    }
    return "no error";
  };
  expect(message(() => entrypoint("bad_expected", () => 1, { expected: true as never }))).toMatch(/^INVALID_ARGUMENT: .*expected.*function/);
  expect(message(() => configure({ expected: "yes" as never }))).toMatch(/expected/);
});
