import { configure, entrypoint, getBackend, loggingBackend, PenstockError, step, type Backend } from "../../lib";
import { recordingBackend, resetPenstock } from "../../lib/testing";
import { captureLogger } from "../support/capture";
import { penstockErrorOf } from "../support/errors";

beforeEach(() => resetPenstock());

test("auto-detection without an SDK picks the logging backend and keeps it", () => {
  const backend = getBackend();
  expect(backend.name).toBe("logging");
  expect(getBackend()).toBe(backend);
});

test('configure("logging") and configure({ backend: "logging", logger }) use pino', () => {
  configure("logging");
  expect(getBackend().name).toBe("logging");
  const { logger, records } = captureLogger();
  configure({ backend: "logging", logger });
  entrypoint("configured", () => 1)();
  expect(records().map((r) => r.msg)).toEqual(["step.start", "step.end"]);
});

test("a logger given to auto-detection is used by the logging fallback", () => {
  const { logger, records } = captureLogger();
  configure({ logger });
  entrypoint("auto_logger", () => 1)();
  expect(records()).toHaveLength(2);
});

test("a backend record is used as given", () => {
  const recorder = recordingBackend();
  configure(recorder);
  expect(getBackend()).toBe(recorder);
  configure({ backend: recorder });
  expect(getBackend()).toBe(recorder);
});

test("fields left out keep their value", () => {
  const recorder = recordingBackend();
  configure(recorder);
  configure({ strict: false });
  expect(getBackend()).toBe(recorder);
});

test('configure("auto") returns to detection', () => {
  configure(recordingBackend());
  configure("auto");
  expect(getBackend().name).toBe("logging");
});

test("an unknown backend name is UNKNOWN_BACKEND", () => {
  const error = penstockErrorOf(() => configure("zipkin" as never));
  expect(error.code).toBe("UNKNOWN_BACKEND");
  expect(error.message).toMatch(/"zipkin", which is not a backend penstock knows\. Use "auto", "logging", "otel"/);
  expect(penstockErrorOf(() => configure({ backend: "jaeger" as never })).code).toBe("UNKNOWN_BACKEND");
});

const badBackends: [string, unknown, RegExp][] = [
  ["span missing", { getCorrelationId: () => undefined }, /configure\(backend\)\.span: .*must be a function/],
  ["span not a function", { span: 1, getCorrelationId: () => undefined }, /configure\(backend\)\.span: must be a function/],
  ["getCorrelationId missing", { span: (_: unknown, run: () => unknown) => run() }, /configure\(backend\)\.getCorrelationId: must be a function/],
  ["name not a string", { name: 3, span: (_: unknown, run: () => unknown) => run(), getCorrelationId: () => undefined }, /\.name: must be a string/],
  ["flush not a function", { flush: "soon", span: (_: unknown, run: () => unknown) => run(), getCorrelationId: () => undefined }, /\.flush: must be a function/],
];

test.each(badBackends)("a bad backend record (%s) is INVALID_BACKEND naming the member", (_label, backend, message) => {
  const error = penstockErrorOf(() => configure(backend as unknown as Backend));
  expect(error.code).toBe("INVALID_BACKEND");
  expect(error.message).toMatch(message);
});

test("a backend that is neither a name nor a record is INVALID_BACKEND", () => {
  expect(penstockErrorOf(() => configure(42 as never)).code).toBe("INVALID_BACKEND");
  expect(penstockErrorOf(() => configure({ backend: 42 as never })).code).toBe("INVALID_BACKEND");
});

test.each([
  ["unknown option", { strcit: true }, /unknown option "strcit"/],
  ["strict not a boolean", { strict: "yes" }, /configure\(options\)\.strict: must be true or false/],
  ["onError not a function", { onError: "log" }, /configure\(options\)\.onError: must be a function/],
  ["logger not a logger", { logger: console.log }, /configure\(options\)\.logger: must be a pino logger/],
  ["tracer not a tracer", { tracer: {} }, /configure\(options\)\.tracer: must be an OpenTelemetry Tracer/],
])("bad options (%s) are INVALID_ARGUMENT naming the field", (_label, options, message) => {
  const error = penstockErrorOf(() => configure(options as never));
  expect(error.code).toBe("INVALID_ARGUMENT");
  expect(error.message).toMatch(message);
});

test("a rejected configure call changes nothing", () => {
  const recorder = recordingBackend();
  configure(recorder);
  expect(() => configure({ strict: false, backend: "nope" as never })).toThrow(PenstockError);
  expect(getBackend()).toBe(recorder);
  // strict is still true: the rejected call did not apply strict: false.
  const outside = step("outside", () => 1, { flow: "x" });
  expect(penstockErrorOf(() => outside()).code).toBe("OUTSIDE_FLOW");
});

test("loggingBackend validates its options", () => {
  expect(penstockErrorOf(() => loggingBackend({ level: "loud" as never })).message).toMatch(/loggingBackend\(\) options\.level/);
  expect(penstockErrorOf(() => loggingBackend({ logger: {} as never })).message).toMatch(/options\.logger: must be a pino logger/);
  expect(penstockErrorOf(() => loggingBackend({ colour: true } as never)).message).toMatch(/unknown option "colour"/);
});
