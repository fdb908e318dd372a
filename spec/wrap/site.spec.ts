// Registration sites: stepInfo(fn).source, and REGISTRY_CONFLICT between two sites.
import { entrypoint, flow, getRegistry, step, stepInfo } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { penstockErrorOf } from "../support/errors";

beforeEach(() => resetPenstock());

const line = (offset: number): number => Number(new Error().stack!.split("\n")[2]!.match(/:(\d+):\d+\)?$/)![1]) + offset;

test("source is the file (relative to the working directory), line and column of the call", () => {
  const here = line(1);
  const start = entrypoint("start", () => undefined);
  const next = flow("start").step("next", () => undefined, { after: start });
  expect(stepInfo(start)?.source).toMatch(new RegExp(`^spec/wrap/site\\.spec\\.ts:${here}:\\d+$`));
  expect(stepInfo(next)?.source).toMatch(new RegExp(`^spec/wrap/site\\.spec\\.ts:${here + 1}:\\d+$`));
  expect(getRegistry().flow("start").steps.next?.source).toBe(stepInfo(next)?.source);
});

test("the same flow and name from two sites is REGISTRY_CONFLICT naming both", () => {
  step("validate", () => undefined, { flow: "orders", after: "receive" });
  const error = penstockErrorOf(() => step("validate", () => undefined, { flow: "orders", after: "receive" }));
  expect(error.code).toBe("REGISTRY_CONFLICT");
  const sites = [...error.message.matchAll(/at (spec\/wrap\/site\.spec\.ts:\d+:\d+)/g)].map((m) => m[1]);
  expect(sites).toHaveLength(2);
  expect(sites[0]).not.toBe(sites[1]);
  expect(error.message).toContain("Two sites register the same step");
});

test("the same site again is a no-op, and a site that cannot be read falls back to the definition", () => {
  const load = () => step("validate", () => undefined, { flow: "orders", after: "receive" });
  load();
  const before = getRegistry();
  expect(() => load()).not.toThrow();
  expect(getRegistry()).toBe(before);
  // A stack without frames (Error.stackTraceLimit cannot reach the caller): no site, no conflict.
  const captured = Error.captureStackTrace;
  Error.captureStackTrace = () => undefined;
  try {
    expect(stepInfo(step("validate", () => undefined, { flow: "orders", after: "receive" }))?.source).toBeUndefined();
  } finally {
    Error.captureStackTrace = captured;
  }
});

test("a step following another flow's step is INVALID_ARGUMENT saying an entrypoint can", () => {
  const enqueue = step("enqueue_shipping", () => undefined, { flow: "orders" });
  const error = penstockErrorOf(() => step("pack", () => undefined, { flow: "shipping", after: enqueue }));
  expect(error.code).toBe("INVALID_ARGUMENT");
  expect(error.message).toMatch(/names a step of flow "orders", but this step is in flow "shipping".*an entrypoint can follow a step of another flow/);
  const ship = entrypoint("ship_order", () => undefined, { flow: "shipping", after: enqueue });
  expect(stepInfo(ship)?.crossFlow).toEqual([{ flow: "orders", step: "enqueue_shipping" }]);
  expect(stepInfo(ship)?.after).toEqual([]);
});
