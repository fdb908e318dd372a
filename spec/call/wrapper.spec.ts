// What one wrapped call adds to the stack: two frames per layer with a no-op or the logging
// backend (the wrapper, named after the step, and the shield's run or the logging span), so an
// error three wrapped calls deep still shows every user function under Node's default limit.
import { configure, entrypoint, loggingBackend, step, type Backend } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { captureLogger } from "../support/capture";

const noop: Backend = { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined };

const backends: [string, () => Backend][] = [
  ["a no-op backend", () => noop],
  ["the logging backend", () => loggingBackend({ logger: captureLogger().logger })],
];

let limit: number;
beforeEach(() => {
  resetPenstock();
  limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 10; // Node's default; jest raises it
});
afterEach(() => {
  Error.stackTraceLimit = limit;
});

/** The frames of `stack`, as `name (file)` lines without "at". */
function framesOf(stack: string): string[] {
  return stack
    .split("\n")
    .slice(1)
    .map((line) => line.trim().replace(/^at /, ""));
}

const PENSTOCK_FILE = /[/\\]lib[/\\][^)]*\.ts:/;

describe.each(backends)("with %s", (_label, backend) => {
  test("an error thrown three wrapped calls deep shows all three user functions, two penstock frames per layer", () => {
    configure(backend());
    const charge = step("charge", function userCharge(): never {
      throw new Error("declined");
    }, { flow: "orders" });
    const validate = step("validate", function userValidate() {
      return charge();
    }, { flow: "orders" });
    const receive = entrypoint("receive", function userReceive() {
      return validate();
    }, { flow: "orders" });
    let stack = "";
    try {
      receive();
    } catch (error) {
      stack = (error as Error).stack ?? "";
    }
    const frames = framesOf(stack);
    const user = ["userCharge", "userValidate", "userReceive"].map((name) => frames.findIndex((frame) => frame.startsWith(`${name} `)));
    expect(user.every((index) => index >= 0)).toBe(true);
    // Between two user functions: the wrapper (named after the step) and at most one more penstock frame.
    for (const [from, to, wrapper] of [[user[0]!, user[1]!, "charge"], [user[1]!, user[2]!, "validate"]] as const) {
      const between = frames.slice(from + 1, to);
      expect(between.filter((frame) => PENSTOCK_FILE.test(frame)).length).toBeLessThanOrEqual(2);
      expect(between.some((frame) => frame.startsWith(`${wrapper} `))).toBe(true);
    }
  });
});

/** How deep `enter(0)` recurses before the stack overflows. */
function depthReached(enter: (depth: number) => number, deepest: { depth: number }): number {
  deepest.depth = 0;
  try {
    enter(0);
  } catch (error) {
    // By name: an overflow inside Node's own code (enterWith on Node 24) is a RangeError of another realm under jest.
    if ((error as Error).name !== "RangeError") throw error;
  }
  return deepest.depth;
}

test("wrapped recursion (no-op backend) reaches at least a fifth of the plain depth", () => {
  configure(noop);
  const deepest = { depth: 0 };
  function plain(depth: number): number {
    deepest.depth = depth;
    return plain(depth + 1) + 1;
  }
  const wrapped: (depth: number) => number = entrypoint("recurse", (depth: number): number => {
    deepest.depth = depth;
    return wrapped(depth + 1) + 1;
  });
  const plainDepth = depthReached(plain, deepest);
  const wrappedDepth = depthReached(wrapped, deepest);
  expect(plainDepth).toBeGreaterThan(1000);
  expect(wrappedDepth * 5).toBeGreaterThanOrEqual(plainDepth);
});
