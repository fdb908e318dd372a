// assertConformance (penstock/testing) under jest here, and under node:test in a child process.
import { AssertionError } from "node:assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { configure, currentFlowId, entrypoint, flow } from "../../lib";
import { assertConformance, clearObservations, recordingBackend, resetPenstock } from "../../lib/testing";
import { penstockErrorOf } from "../support/errors";

beforeEach(() => {
  resetPenstock();
  configure(recordingBackend());
});

function shop(): { buy: (order: "drawn" | "swapped" | "skipped" | "audited") => string } {
  const f = flow("shop");
  const audit = f.step("audit", () => undefined);
  const pick = f.step("pick", () => undefined, { after: "buy" });
  const pack = f.step("pack", () => undefined, { after: pick });
  const ship = f.step("ship", (audited: boolean) => (audited ? audit() : undefined), { after: pack });
  const buy = f.entrypoint("buy", (order: "drawn" | "swapped" | "skipped" | "audited") => {
    if (order === "swapped") {
      pack();
      pick();
      ship(false);
    } else if (order === "skipped") {
      pick();
      ship(false);
    } else {
      pick();
      pack();
      ship(order === "audited");
    }
    return currentFlowId()!;
  });
  return { buy };
}

function failure(run: () => void): AssertionError {
  try {
    run();
  } catch (error) {
    if (error instanceof AssertionError) return error;
    throw error;
  }
  throw new Error("assertConformance passed");
}

describe("assertConformance under jest", () => {
  test("passes silently for a flow that ran as drawn, and for every flow when none is named", () => {
    const { buy } = shop();
    buy("drawn");
    expect(assertConformance("shop")).toBeUndefined();
    expect(assertConformance()).toBeUndefined();
  });

  test("lists every undeclared call, out-of-order pair and unpreceded step, in plain words, with a correlation ID", () => {
    const { buy } = shop();
    const swapped = buy("swapped");
    const skipped = buy("skipped");
    const audited = buy("audited");
    const error = failure(() => assertConformance("shop"));
    expect(error.message).toBe(
      'penstock: flow "shop" did not run as drawn:\n' +
        `  - "ship" called "audit" 1 time, but the drawing has no path from "ship" to "audit" (e.g. correlation ID ${audited}).\n` +
        `  - "pack" ran before "pick" (1 call of "pick"), but "pack" is declared after "pick" (e.g. correlation ID ${swapped}).\n` +
        `  - "pack" ran 1 time with none of its declared predecessors before it in its flow call (e.g. correlation ID ${swapped}).\n` +
        `  - "ship" ran 1 time with none of its declared predecessors before it in its flow call (e.g. correlation ID ${skipped}).`,
    );
    expect(error.operator).toBe("assertConformance");
  });

  test("unexercised edges fail only with exhaustive", () => {
    const { buy } = shop();
    buy("drawn");
    clearObservations();
    expect(() => assertConformance("shop")).not.toThrow();
    const error = failure(() => assertConformance("shop", { exhaustive: true }));
    expect(error.message).toContain('  - "pick" is declared after "buy", but "buy" never ran before "pick" in one flow call.');
  });

  test("an unknown flow is UNKNOWN_FLOW; bad options INVALID_ARGUMENT naming the field", () => {
    entrypoint("solo", () => undefined);
    expect(penstockErrorOf(() => assertConformance("nope"))).toMatchObject({ code: "UNKNOWN_FLOW" });
    expect(penstockErrorOf(() => assertConformance("solo", { exhaustive: 1 } as never))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: "assertConformance(flow, options).exhaustive: must be true or false.",
    });
    expect(penstockErrorOf(() => assertConformance("solo", { strict: true } as never))).toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});

test("under node:test (against the build): the conforming test passes, the other fails with the findings", () => {
  const child = spawnSync(process.execPath, ["--test", "--test-reporter=tap", join(__dirname, "fixtures", "conformance.test.mjs")], { encoding: "utf8", timeout: 60_000 });
  expect(child.stdout).toMatch(/^ok 1 - a flow that runs as drawn passes$/m);
  expect(child.stdout).toMatch(/^not ok 2 - a flow that does not run as drawn fails$/m);
  expect(child.stdout).toContain('"charge" ran before "validate"');
  expect(child.stdout).toMatch(/# pass 1\n# fail 1/);
  expect(child.status).toBe(1);
});
