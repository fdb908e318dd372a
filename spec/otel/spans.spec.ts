// The OpenTelemetry backend against the real SDK: one span per call, its attributes, its end,
// errors, and the parent/child tree.
import { SpanStatusCode, trace } from "@opentelemetry/api";
import { configure, currentFlowId, entrypoint, getBackend, step } from "../../lib";
import { otelBackend } from "../../lib/otel";
import { useOtelSdk } from "../support/use-otel-sdk";

const sdk = useOtelSdk();

test("one span per call, named after the step, with penstock's attributes and the user's", () => {
  const charge = step("charge", (amount: number) => amount * 2, {
    flow: "orders",
    attributes: (amount) => ({ amount, currency: "EUR", "penstock.flow": "spoofed" }),
  });
  const receive = entrypoint("receive", (amount: number) => charge(amount), { flow: "orders", attributes: { channel: "web" } });

  expect(receive(21)).toBe(42);
  expect(sdk.spans().map((span) => span.name)).toEqual(["charge", "receive"]);
  expect(sdk.span("charge").attributes).toEqual({ amount: 21, currency: "EUR", "penstock.flow": "orders", "penstock.step": "charge", "penstock.kind": "step" });
  expect(sdk.span("receive").attributes).toEqual({ channel: "web", "penstock.flow": "orders", "penstock.step": "receive", "penstock.kind": "entrypoint" });
  expect(sdk.span("receive").status.code).toBe(SpanStatusCode.UNSET);
});

test("nested steps are children of their callers, in one trace", async () => {
  const leaf = step("leaf", async () => "leaf", { flow: "tree" });
  const middle = step("middle", async () => `${await leaf()}+middle`, { flow: "tree" });
  const root = entrypoint("root", async () => `${await middle()}+${await leaf()}`, { flow: "tree" });

  expect(await root()).toBe("leaf+middle+leaf");
  const spans = sdk.spans();
  const rootSpan = sdk.span("root");
  const middleSpan = sdk.span("middle");
  const leaves = spans.filter((span) => span.name === "leaf");
  expect(rootSpan.parentSpanContext).toBeUndefined();
  expect(middleSpan.parentSpanContext?.spanId).toBe(rootSpan.spanContext().spanId);
  expect(leaves.map((span) => span.parentSpanContext?.spanId).sort()).toEqual([middleSpan.spanContext().spanId, rootSpan.spanContext().spanId].sort());
  expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
});

test("a sync function's span ends before the call returns; an async one's when its promise settles", async () => {
  const sync = entrypoint("sync_call", () => trace.getActiveSpan()!.isRecording());
  expect(sync()).toBe(true);
  expect(sdk.span("sync_call").ended).toBe(true);

  let release!: (value: string) => void;
  const gate = new Promise<string>((resolve) => (release = resolve));
  const pending = entrypoint("async_call", () => gate)();
  await new Promise((resolve) => setImmediate(resolve));
  expect(sdk.spans().map((span) => span.name)).toEqual(["sync_call"]);
  release("done");
  expect(await pending).toBe("done");
  expect(sdk.span("async_call").ended).toBe(true);
  expect(sdk.span("async_call").status.code).toBe(SpanStatusCode.UNSET);
});

test("a sync throw: exception recorded, status ERROR, the very same error rethrown", () => {
  const boom = new TypeError("bad order");
  const fail = entrypoint("fail_sync", () => {
    throw boom;
  });
  let caught: unknown;
  try {
    fail();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBe(boom);
  const span = sdk.span("fail_sync");
  expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "bad order" });
  expect(span.events.map((event) => event.name)).toEqual(["exception"]);
  expect(span.events[0]!.attributes).toMatchObject({ "exception.type": "TypeError", "exception.message": "bad order" });
});

test("a rejection: exception recorded, status ERROR, the same promise rejects with the same reason", async () => {
  const reason = new Error("card declined");
  const promise = Promise.reject(reason);
  const fail = entrypoint("fail_async", () => promise);
  const returned = fail();
  expect(returned).toBe(promise);
  await expect(returned).rejects.toBe(reason);
  await new Promise((resolve) => setImmediate(resolve));
  const span = sdk.span("fail_async");
  expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "card declined" });
  expect(span.events[0]!.attributes).toMatchObject({ "exception.message": "card declined" });
});

test("a thrown non-Error is recorded as text and reaches the caller unchanged", () => {
  const fail = entrypoint("fail_value", () => {
    throw "plain string";
  });
  expect(fail).toThrow("plain string");
  expect(sdk.span("fail_value").status).toEqual({ code: SpanStatusCode.ERROR, message: "plain string" });
});

test("otelBackend({ tracer, tracerName }) from penstock/otel uses that tracer", () => {
  configure(otelBackend({ tracerName: "checkout" }));
  expect(getBackend().name).toBe("otel");
  entrypoint("named_tracer", () => currentFlowId())();
  expect(sdk.span("named_tracer").instrumentationScope.name).toBe("checkout");

  const tracer = sdk.provider.getTracer("given");
  configure(otelBackend({ tracer }));
  entrypoint("given_tracer", () => undefined)();
  expect(sdk.span("given_tracer").instrumentationScope.name).toBe("given");
});

test("otelBackend() rejects bad options with PenstockError INVALID_ARGUMENT naming the field", () => {
  expect(() => otelBackend({ tracer: {} as never })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining("tracer") }));
  expect(() => otelBackend({ tracerName: "" })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining("tracerName") }));
  expect(() => otelBackend({ sampler: 1 } as never)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining("sampler") }));
});
