import { entrypoint, flow, getRegistry, step } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { penstockErrorOf } from "../support/errors";

beforeEach(() => resetPenstock());

test("the snapshot lists flows, entrypoints and steps", () => {
  const receive = entrypoint("receive", () => undefined, { flow: "orders" });
  entrypoint("retry", () => undefined, { flow: "orders" });
  step("charge", () => undefined, { after: receive });
  entrypoint("signup", () => undefined);
  const registry = getRegistry();
  expect(registry.flowNames()).toEqual(["orders", "signup"]);
  const orders = registry.flow("orders");
  expect(orders.name).toBe("orders");
  expect(orders.entrypoints).toEqual(["receive", "retry"]);
  expect(Object.keys(orders.steps)).toEqual(["receive", "retry", "charge"]);
  expect(orders.steps.charge).toEqual({ name: "charge", flow: "orders", kind: "step", after: ["receive"], source: expect.stringMatching(/^spec\/registry\/registry\.spec\.ts:10:\d+$/) });
  expect(registry.flows.signup?.entrypoints).toEqual(["signup"]);
});

test("snapshots are deeply frozen", () => {
  const receive = entrypoint("receive", () => undefined, { flow: "orders" });
  step("charge", () => undefined, { after: receive });
  const registry = getRegistry();
  const orders = registry.flow("orders");
  expect(Object.isFrozen(registry)).toBe(true);
  expect(Object.isFrozen(registry.flows)).toBe(true);
  expect(Object.isFrozen(orders)).toBe(true);
  expect(Object.isFrozen(orders.entrypoints)).toBe(true);
  expect(Object.isFrozen(orders.steps)).toBe(true);
  expect(Object.isFrozen(orders.steps.charge)).toBe(true);
  expect(Object.isFrozen(orders.steps.charge!.after)).toBe(true);
  expect(Object.isFrozen(registry.flowNames())).toBe(true);
  expect(() => {
    "use strict";
    (orders.entrypoints as string[]).push("x");
  }).toThrow(TypeError);
});

test("a snapshot is cached until the next registration, which never changes it", () => {
  entrypoint("a", () => undefined);
  const first = getRegistry();
  expect(getRegistry()).toBe(first);
  step("b", () => undefined, { flow: "a", after: "a" });
  const second = getRegistry();
  expect(second).not.toBe(first);
  expect(Object.keys(first.flow("a").steps)).toEqual(["a"]);
  expect(Object.keys(second.flow("a").steps)).toEqual(["a", "b"]);
});

test("an identical registration is a no-op", () => {
  const orders = flow("orders");
  orders.entrypoint("receive", () => 1);
  // The same site again, as when a module is loaded twice.
  const charge = () => orders.step("charge", () => 2, { after: ["receive"] });
  charge();
  const before = getRegistry();
  const again = charge();
  expect(getRegistry()).toBe(before);
  expect(Object.keys(getRegistry().flow("orders").steps)).toEqual(["receive", "charge"]);
  expect(getRegistry().flow("orders").entrypoints).toEqual(["receive"]);
  expect(typeof again).toBe("function");
});

test("the same predecessors in another order are the same registration", () => {
  const orders = flow("orders");
  const pack = (after: string[]) => orders.step("pack", () => 1, { after });
  pack(["pick", "pay"]);
  expect(() => pack(["pay", "pick"])).not.toThrow();
  expect(getRegistry().flow("orders").steps.pack?.after).toEqual(["pick", "pay"]);
});

test("a different registration under the same name is REGISTRY_CONFLICT", () => {
  const orders = flow("orders");
  orders.entrypoint("receive", () => 1);
  orders.step("charge", () => 1, { after: "receive" });
  const afterConflict = penstockErrorOf(() => orders.step("charge", () => 1, { after: ["receive", "other"] }));
  expect(afterConflict.code).toBe("REGISTRY_CONFLICT");
  expect(afterConflict.message).toMatch(/Step "charge" is already registered in flow "orders" as step after \[receive\]/);
  const kindConflict = penstockErrorOf(() => orders.entrypoint("charge", () => 1, { after: "receive" }));
  expect(kindConflict.code).toBe("REGISTRY_CONFLICT");
});

test("the same step name in two flows is two steps", () => {
  flow("a").entrypoint("shared", () => 1);
  flow("b").entrypoint("shared", () => 1);
  expect(getRegistry().flowNames()).toEqual(["a", "b"]);
});

test("names such as __proto__ and constructor are ordinary keys", () => {
  const f = flow("__proto__");
  f.entrypoint("constructor", () => 1);
  f.step("__proto__", () => 1, { after: "constructor" });
  const registry = getRegistry();
  expect(registry.flowNames()).toEqual(["__proto__"]);
  const proto = registry.flow("__proto__");
  expect(Object.keys(proto.steps)).toEqual(["constructor", "__proto__"]);
  expect(proto.steps.__proto__).toEqual({ name: "__proto__", flow: "__proto__", kind: "step", after: ["constructor"], source: expect.any(String) });
  expect(({} as Record<string, unknown>).after).toBeUndefined();
});

test("an unknown flow is UNKNOWN_FLOW naming the known ones", () => {
  entrypoint("orders", () => 1);
  const error = penstockErrorOf(() => getRegistry().flow("ordres"));
  expect(error.code).toBe("UNKNOWN_FLOW");
  expect(error.message).toMatch(/Flow "ordres" is not registered\. Known flows: "orders"\./);
  resetPenstock();
  expect(penstockErrorOf(() => getRegistry().flow("x")).message).toMatch(/No flow is registered yet/);
});

test("10,000 steps in one flow (the bound, spec/registry/registry-limit.spec.ts) register and snapshot completely", () => {
  const f = flow("big");
  f.entrypoint("s0", () => 0);
  for (let i = 1; i < 10_000; i++) f.step(`s${i}`, () => i, { after: `s${i - 1}` });
  const big = getRegistry().flow("big");
  expect(Object.keys(big.steps)).toHaveLength(10_000);
  expect(big.steps.s9999?.after).toEqual(["s9998"]);
});
