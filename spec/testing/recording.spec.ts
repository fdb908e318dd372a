import { configure, entrypoint, step } from "../../lib";
import { recordingBackend, resetPenstock } from "../../lib/testing";

beforeEach(() => resetPenstock());

test("records every finished span with outcome, error, duration and parent", async () => {
  const recorder = recordingBackend();
  configure(recorder);
  const boom = new Error("card declined");
  const charge = step("charge", async () => {
    throw boom;
  }, { flow: "orders" });
  const validate = step("validate", () => true, { flow: "orders" });
  const receive = entrypoint("receive", async () => {
    validate();
    await charge().catch(() => undefined);
  }, { flow: "orders" });
  await receive();
  expect(recorder.started).toEqual(["receive", "validate", "charge"]);
  expect(recorder.spans.map((s) => [s.step, s.outcome])).toEqual([
    ["validate", "ok"],
    ["charge", "error"],
    ["receive", "ok"],
  ]);
  const [v, c, r] = recorder.spans as [typeof recorder.spans[0], typeof recorder.spans[0], typeof recorder.spans[0]];
  expect(c.error).toBe(boom);
  expect(v.parentSpanId).toBe(r.spanId);
  expect(c.parentSpanId).toBe(r.spanId);
  expect(r.parentSpanId).toBeUndefined();
  expect(new Set([v.correlationId, c.correlationId, r.correlationId]).size).toBe(1);
  expect(r.durationMs).toBeGreaterThanOrEqual(0);
  expect(r.kind).toBe("entrypoint");
  recorder.clear();
  expect(recorder.spans).toEqual([]);
});

test("resetPenstock clears the registry and the configuration", () => {
  const recorder = recordingBackend();
  configure({ backend: recorder, strict: false });
  entrypoint("registered", () => 1);
  resetPenstock();
  const { getRegistry, getBackend } = require("../../lib") as typeof import("../../lib");
  expect(getRegistry().flowNames()).toEqual([]);
  expect(getBackend()).not.toBe(recorder);
  expect(() => step("s", () => 1, { flow: "f" })()).toThrow(expect.objectContaining({ code: "OUTSIDE_FLOW" }));
});
