import { configure, entrypoint, flow, PenstockError, step, stepInfo } from "../../lib";
import { recordingBackend, resetPenstock } from "../../lib/testing";
import { penstockErrorOf } from "../support/errors";

// A registration made in this file, at some line and column.
const HERE = expect.stringMatching(/^spec\/wrap\/wrap\.spec\.ts:\d+:\d+$/);

beforeEach(() => {
  resetPenstock();
  configure(recordingBackend());
});

describe("fidelity", () => {
  test("keeps this, arguments and the return value", () => {
    const target = {
      factor: 3,
      multiply: entrypoint("multiply", function (this: { factor: number }, a: number, b: number) {
        return this.factor * a * b;
      }),
    };
    expect(target.multiply(2, 5)).toBe(30);
  });

  test("a sync function stays sync", () => {
    const sync = entrypoint("sync", () => 42);
    const result = sync();
    expect(result).toBe(42);
    expect(result).not.toBeInstanceOf(Promise);
  });

  test("an async function returns its own promise", async () => {
    let inner: Promise<number> | undefined;
    const raw = () => (inner = Promise.resolve(7));
    const wrapped = entrypoint("async", raw);
    const returned = wrapped();
    expect(returned).toBe(inner);
    await expect(returned).resolves.toBe(7);
  });

  test("a thrown value keeps its identity", () => {
    const boom = new TypeError("boom");
    const wrapped = entrypoint("throws", () => {
      throw boom;
    });
    expect(() => wrapped()).toThrow(boom);
    const odd = { not: "an error" };
    const throwsObject = entrypoint("throws_object", () => {
      throw odd;
    });
    try {
      throwsObject();
      throw new Error("unreachable");
    } catch (error) {
      expect(error).toBe(odd);
    }
  });

  test("a rejected value keeps its identity", async () => {
    const boom = new Error("rejected");
    const wrapped = entrypoint("rejects", async () => {
      throw boom;
    });
    await expect(wrapped()).rejects.toBe(boom);
  });

  test("keeps length and names the wrapper after the step", () => {
    const wrapped = entrypoint("place_order", (_a: number, _b: string, _c = true) => undefined);
    expect(wrapped.length).toBe(2);
    expect(wrapped.name).toBe("place_order");
    const viaStep = step("charge card", function charge(_x: number) {}, { flow: "place_order" });
    expect(viaStep.name).toBe("charge card");
    expect(viaStep.length).toBe(1);
  });

  test("methods called through a step keep this", () => {
    class Counter {
      count = 0;
      increment = step("increment", function (this: Counter, by: number) {
        this.count += by;
        return this.count;
      }, { flow: "counting" });
    }
    const counter = new Counter();
    const run = entrypoint("counting", () => counter.increment(2) + counter.increment(3));
    expect(run()).toBe(7);
    expect(counter.count).toBe(5);
  });

  test("each call runs the function exactly once", () => {
    const fn = jest.fn((x: number) => x + 1);
    const wrapped = entrypoint("once", fn);
    expect(wrapped(1)).toBe(2);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe("registration", () => {
  test("stepInfo returns the registration", () => {
    const start = entrypoint("start", () => undefined);
    const next = step("next", () => undefined, { after: start });
    expect(stepInfo(start)).toEqual({ name: "start", flow: "start", kind: "entrypoint", after: [], source: HERE });
    expect(stepInfo(next)).toEqual({ name: "next", flow: "start", kind: "step", after: ["start"], source: HERE });
    expect(Object.isFrozen(stepInfo(next))).toBe(true);
    expect(stepInfo(() => undefined)).toBeUndefined();
    expect(stepInfo("next")).toBeUndefined();
  });

  test("the flow is inferred from wrapped functions in after", () => {
    const receive = entrypoint("receive", () => undefined, { flow: "orders" });
    const validate = step("validate", () => undefined, { after: receive });
    const charge = step("charge", () => undefined, { after: [validate, "receive"] });
    expect(stepInfo(charge)).toEqual({ name: "charge", flow: "orders", kind: "step", after: ["validate", "receive"], source: HERE });
  });

  test("flow() binds the flow name", () => {
    const orders = flow("orders");
    expect(orders.name).toBe("orders");
    const receive = orders.entrypoint("receive", () => undefined);
    const ship = orders.step("ship", () => undefined, { after: "receive" });
    expect(stepInfo(receive)?.flow).toBe("orders");
    expect(stepInfo(ship)).toEqual({ name: "ship", flow: "orders", kind: "step", after: ["receive"], source: HERE });
  });

  test("an entrypoint's flow defaults to its name, even when it follows steps", () => {
    expect(stepInfo(entrypoint("signup", () => undefined))?.flow).toBe("signup");
    const verify = step("verify", () => undefined, { flow: "signup", after: "signup" });
    // Following another flow's step, it starts its own flow: a cross-flow edge.
    expect(stepInfo(entrypoint("resend", () => undefined, { after: verify }))).toEqual({
      name: "resend",
      flow: "resend",
      kind: "entrypoint",
      after: [],
      crossFlow: [{ flow: "signup", step: "verify" }],
      source: HERE,
    });
    expect(stepInfo(entrypoint("resend", () => undefined, { flow: "signup", after: verify }))).toEqual({
      name: "resend",
      flow: "signup",
      kind: "entrypoint",
      after: ["verify"],
      source: HERE,
    });
  });
});

describe("validation at wrap time", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["empty name", () => step("", () => undefined, { flow: "f" }), /name must be a non-empty string/],
    ["non-string name", () => entrypoint(42 as never, () => undefined), /name must be a non-empty string naming the entrypoint, not a number/],
    ["non-function fn", () => step("s", "nope" as never, { flow: "f" }), /fn must be the function to wrap, not a string/],
    ["unknown option", () => step("s", () => undefined, { flow: "f", afer: "x" } as never), /unknown option "afer"/],
    ["options not an object", () => step("s", () => undefined, 5 as never), /options must be an object, not a number/],
    ["empty flow", () => step("s", () => undefined, { flow: "" }), /options\.flow: must be a non-empty string/],
    ["bad after entry", () => step("s", () => undefined, { flow: "f", after: [3 as never] }), /options\.after/],
    ["unwrapped function in after", () => step("s", () => undefined, { flow: "f", after: [() => undefined] }), /options\.after\[0\] is a function penstock did not wrap/],
    ["object attribute", () => step("s", () => undefined, { flow: "f", attributes: { user: { id: 1 } as never } }), /options\.attributes/],
    ["no flow", () => step("lonely", () => undefined), /cannot tell which flow step "lonely" belongs to/],
    ["options.flow in flow()", () => flow("f").step("s", () => undefined, { flow: "g" } as never), /options\.flow is not allowed here/],
    ["empty flow()", () => flow(""), /flow\(name\): name must be a non-empty string/],
  ];

  test.each(cases)("%s is INVALID_ARGUMENT naming the field", (_label, call, message) => {
    const error = penstockErrorOf(call);
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toMatch(message);
  });

  test("after functions from two flows are rejected", () => {
    const a = entrypoint("a", () => undefined);
    const b = entrypoint("b", () => undefined);
    const error = penstockErrorOf(() => step("c", () => undefined, { after: [a, b] }));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toMatch(/mixes steps of flows "a" and "b"/);
  });

  test("after a function of another flow than options.flow is rejected", () => {
    const a = entrypoint("a", () => undefined);
    const error = penstockErrorOf(() => step("c", () => undefined, { flow: "b", after: a }));
    expect(error.message).toMatch(/names a step of flow "a", but this step is in flow "b"/);
  });

  test("errors are PenstockError instances with the name PenstockError", () => {
    const error = penstockErrorOf(() => step("", () => undefined));
    expect(error).toBeInstanceOf(PenstockError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("PenstockError");
  });
});

describe("attributes", () => {
  test("static attributes reach the backend", () => {
    const recorder = recordingBackend();
    configure(recorder);
    entrypoint("tagged", () => undefined, { attributes: { region: "eu", retries: 2, beta: true, tags: ["a", "b"] } })();
    expect(recorder.spans[0]?.attributes).toEqual({ region: "eu", retries: 2, beta: true, tags: ["a", "b"] });
  });

  test("steps with no attributes (none given, or an empty object) share one frozen empty object", () => {
    const seen: object[] = [];
    configure({ name: "seeing", span: (info, run) => (seen.push(info.attributes), run()), getCorrelationId: () => undefined });
    const none = step("none", () => 1, { flow: "empty-attributes" });
    const empty = step("empty", () => 2, { flow: "empty-attributes", attributes: {} });
    const tagged = step("tagged", () => 3, { flow: "empty-attributes", attributes: { region: "eu" } });
    entrypoint("start", () => [none(), empty(), tagged()], { flow: "empty-attributes" })();
    const [start, first, second, third] = seen;
    expect(first).toBe(start);
    expect(second).toBe(start);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first).toEqual({});
    expect(third).toEqual({ region: "eu" });
  });

  test("an attributes callback receives the call's arguments", () => {
    const recorder = recordingBackend();
    configure(recorder);
    const charge = entrypoint("charge", (amount: number, currency: string) => amount, {
      attributes: (amount, currency) => ({ amount, currency }),
    });
    expect(charge(12, "EUR")).toBe(12);
    expect(recorder.spans[0]?.attributes).toEqual({ amount: 12, currency: "EUR" });
  });

  test("an attributes callback that throws does not change the call", () => {
    const recorder = recordingBackend();
    const faults: unknown[] = [];
    configure({ backend: recorder, onError: (error) => faults.push(error) });
    const broken = new Error("attributes broke");
    const wrapped = entrypoint("attr_throws", () => "result", {
      attributes: () => {
        throw broken;
      },
    });
    expect(wrapped()).toBe("result");
    expect(recorder.spans[0]?.attributes).toEqual({});
    expect(faults).toEqual([broken]);
  });
});
