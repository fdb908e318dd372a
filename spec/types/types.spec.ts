// Type-level expectations: a wrong inferred type fails compilation, and so this file.
import { recordingBackend } from "../../lib/testing";
import { flowIdGenerator, otelBackend, type FlowIdGenerator } from "../../lib/otel";
import {
  configure,
  entrypoint,
  extractFlow,
  injectFlow,
  type RunInFlowOptions,
  flow,
  flowKey,
  getFlowValue,
  runInFlow,
  setFlowValue,
  step,
  type Attributes,
  type Backend,
  type FlowKey,
  type PenstockErrorCode,
  type SpanInfo,
  type StepInfo,
} from "../../lib";

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

// The wrapper has exactly the type of the wrapped function.
const add = (a: number, b: number): number => a + b;
const wrappedAdd = entrypoint("add", add);
type _add = Expect<Equal<typeof wrappedAdd, (a: number, b: number) => number>>;

// Generics survive.
function identity<T>(value: T): T {
  return value;
}
const wrappedIdentity = step("identity", identity, { flow: "add" });
type _identity = Expect<Equal<typeof wrappedIdentity, <T>(value: T) => T>>;

// Overloads survive.
function parse(input: string): number;
function parse(input: number): string;
function parse(input: string | number): string | number {
  return typeof input === "string" ? Number(input) : String(input);
}
const wrappedParse = step("parse", parse, { flow: "add" });
type _parse = Expect<Equal<typeof wrappedParse, typeof parse>>;

// `this` types survive.
function scaled(this: { factor: number }, x: number): number {
  return this.factor * x;
}
const wrappedScaled = step("scaled", scaled, { flow: "add" });
type _this = Expect<Equal<typeof wrappedScaled, (this: { factor: number }, x: number) => number>>;

// Async and generator functions keep their types.
const wrappedAsync = entrypoint("async", async (id: string) => ({ id }));
type _async = Expect<Equal<typeof wrappedAsync, (id: string) => Promise<{ id: string }>>>;
function* counter(limit: number): Generator<number, void, unknown> {
  for (let i = 0; i < limit; i++) yield i;
}
const wrappedGenerator = step("counter", counter, { flow: "add" });
type _generator = Expect<Equal<typeof wrappedGenerator, (limit: number) => Generator<number, void, unknown>>>;

// flow() builders keep types too.
const orders = flow("typed_orders");
const receive = orders.entrypoint("receive", (orderId: string, total: number) => ({ orderId, total }));
type _builder = Expect<Equal<typeof receive, (orderId: string, total: number) => { orderId: string; total: number }>>;

// The attributes callback is checked against the wrapped function's parameters.
step("charge", (amount: number, currency: "EUR" | "USD") => amount, {
  flow: "typed_orders",
  attributes: (amount, currency) => {
    type _amount = Expect<Equal<typeof amount, number>>;
    type _currency = Expect<Equal<typeof currency, "EUR" | "USD">>;
    return { amount, currency };
  },
});
// Typed flow keys carry their value type.
const userKey = flowKey<string>("user");
type _key = Expect<Equal<typeof userKey, FlowKey<string>>>;
const maybeUser = getFlowValue(userKey);
type _value = Expect<Equal<typeof maybeUser, string | undefined>>;
const runTypedKeys = () => {
  setFlowValue(userKey, "u-1");
};

// Misuse that must not compile: checked by the compiler (an unused @ts-expect-error fails it), never run.
export function mustNotCompile(): void {
  // @ts-expect-error a FlowKey<string> takes strings only
  setFlowValue(userKey, 42);
  // @ts-expect-error the callback's parameter types must match the function's
  step("charge2", (amount: number) => amount, { flow: "typed_orders", attributes: (amount: string) => ({ amount }) });
  // @ts-expect-error attribute values are primitives or arrays of them
  step("charge3", () => 1, { flow: "typed_orders", attributes: { nested: { a: 1 } } });
  // @ts-expect-error flow is not an option of flow().step
  orders.step("nope", () => 1, { flow: "other" });
}

// Public types are usable as types.
type _codes = Expect<Equal<Extract<PenstockErrorCode, "OUTSIDE_FLOW">, "OUTSIDE_FLOW">>;
const backend: Backend = { span: (_info: SpanInfo, run) => run(), getCorrelationId: () => undefined };
const attributes: Attributes = { a: "x", b: 1, c: true, d: ["x", 2, false] };
type _stepInfo = Expect<Equal<StepInfo["kind"], "entrypoint" | "step">>;

// injectFlow returns the carrier's own type; extractFlow gives runInFlow's options.
const jobData = { orderId: "A-1" };
const injectedData = runInFlow({}, () => injectFlow(jobData));
type _injected = Expect<Equal<typeof injectedData, { orderId: string }>>;
type _injectedDefault = Expect<Equal<ReturnType<typeof injectFlow<Record<string, string>>>, Record<string, string>>>;
const injectedHeaders = runInFlow({}, () => injectFlow(new Headers()));
type _injectedHeaders = Expect<Equal<typeof injectedHeaders, Headers>>;
type _extracted = Expect<Equal<ReturnType<typeof extractFlow>, RunInFlowOptions>>;
export function carriersMustNotCompile(): void {
  // @ts-expect-error a carrier is an object, not a string
  injectFlow("x-correlation-id");
  // @ts-expect-error correlationHeader is a string
  extractFlow({}, { correlationHeader: 1 });
}
type _flowIdGenerator = Expect<Equal<ReturnType<typeof flowIdGenerator>, FlowIdGenerator>>;
type _otelBackend = Expect<Equal<ReturnType<typeof otelBackend>, Backend>>;

test("the typed wrappers behave as their types say", () => {
  configure(recordingBackend());
  // The Expect<> assertions are checked by the compiler; these calls check the same at run time.
  const results = runInFlow({}, () => {
    const kept: string = wrappedIdentity("x");
    const n: number = wrappedParse("1");
    const s: string = wrappedParse(1);
    const scaledValue: number = wrappedScaled.call({ factor: 2 }, 4);
    runTypedKeys();
    return [kept, n, s, scaledValue, getFlowValue(userKey), [...wrappedGenerator(3)]];
  });
  expect(results).toEqual(["x", 1, "1", 8, "u-1", [0, 1, 2]]);
  expect(typeof backend.span).toBe("function");
  expect(attributes.d).toEqual(["x", 2, false]);
  expect(injectedData).toEqual({ orderId: "A-1", "x-correlation-id": expect.stringMatching(/^[0-9a-f]{32}$/) });
  expect(injectedHeaders.get("x-correlation-id")).toMatch(/^[0-9a-f]{32}$/);
});
