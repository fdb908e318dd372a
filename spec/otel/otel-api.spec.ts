// Without @opentelemetry/api (simulated here by a require that cannot find it; the packed
// consumer spec checks the same for real in a folder without the package).
import { configure, entrypoint, getBackend, step } from "../../lib";
import { recordingBackend, resetPenstock } from "../../lib/testing";
import { penstockErrorOf } from "../support/errors";

jest.mock("../../lib/internal/require-optional", () => ({
  requireOptional: (id: string) => {
    const error = new Error(`Cannot find module '${id}'`) as Error & { code: string };
    error.code = "MODULE_NOT_FOUND";
    throw error;
  },
}));

beforeEach(() => resetPenstock());

test("auto-detection picks logging", () => {
  expect(getBackend().name).toBe("logging");
});

test('configure("otel") throws OTEL_UNAVAILABLE naming what to install', () => {
  const error = penstockErrorOf(() => configure("otel"));
  expect(error.code).toBe("OTEL_UNAVAILABLE");
  expect(error.message).toMatch(/npm install @opentelemetry\/api @opentelemetry\/sdk-trace-node/);
});

test("a configure call that fails leaves the configuration whole", () => {
  const recorder = recordingBackend();
  configure(recorder);
  expect(penstockErrorOf(() => configure({ backend: "otel", strict: false })).code).toBe("OTEL_UNAVAILABLE");
  expect(getBackend()).toBe(recorder);
  expect(entrypoint("still_works", () => "ok")()).toBe("ok");
  expect(recorder.spans).toHaveLength(1);
  const outside = step("outside", () => 1, { flow: "x" });
  expect(penstockErrorOf(() => outside()).code).toBe("OUTSIDE_FLOW");
});
