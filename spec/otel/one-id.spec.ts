// "One ID, never two": with the OpenTelemetry backend, currentFlowId() and the spans' trace ID
// agree in every way a flow can begin.
import { context, ROOT_CONTEXT, trace, type Tracer } from "@opentelemetry/api";
import { ParentBasedSampler, TraceIdRatioBasedSampler } from "@opentelemetry/sdk-trace-base";
import { configure, currentFlowId, entrypoint, getBackend, getFlowContext, runInFlow, step } from "../../lib";
import { flowIdGenerator } from "../../lib/otel";
import { resetPenstock } from "../../lib/testing";
import { startOtelSdk, type OtelSdk } from "../support/otel-sdk";

const TRACE_ID = /^[0-9a-f]{32}$/;
let sdk: OtelSdk | undefined;

function start(options?: Parameters<typeof startOtelSdk>[0]): { sdk: OtelSdk; tracer: Tracer } {
  sdk = startOtelSdk(options);
  configure("otel");
  return { sdk, tracer: trace.getTracer("server") };
}

beforeEach(() => resetPenstock());
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
});

/** A small flow that reports the ID it sees at every level and across an await. */
function checkoutFlow(): () => Promise<{ entry: string | undefined; context: string | undefined; nested: string | undefined; afterAwait: string | undefined }> {
  const charge = step("charge", async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return currentFlowId();
  }, { flow: "checkout" });
  return entrypoint("checkout", async () => {
    const entry = currentFlowId();
    const context = getFlowContext()?.correlationId;
    const nested = await charge();
    return { entry, context, nested, afterAwait: currentFlowId() };
  });
}

function traceIds(otel: OtelSdk): string[] {
  return [...new Set(otel.spans().map((span) => span.spanContext().traceId))];
}

test("a root entrypoint: its ID is the trace ID of its span, at every level", async () => {
  const { sdk } = start();
  const seen = await checkoutFlow()();
  const [traceId] = traceIds(sdk);
  expect(traceIds(sdk)).toHaveLength(1);
  expect(seen).toEqual({ entry: traceId, context: traceId, nested: traceId, afterAwait: traceId });
  expect(sdk.span("checkout").parentSpanContext).toBeUndefined();
});

test("a root entrypoint's own ID is the trace ID too: seen outside the span's context and by its steps' SpanInfo", () => {
  const { sdk } = start();
  const otel = getBackend();
  const stepIds: string[] = [];
  // A backend that delegates to the OTel one and notes what penstock tells it; it declares the
  // OTel backend's flow scope as its own, so penstock names its flows after the trace.
  configure({
    name: "tee",
    span: (info, run) => (info.kind === "step" && stepIds.push(info.correlationId), otel.span(info, run)),
    getCorrelationId: () => otel.getCorrelationId(),
    flowScope: otel.flowScope!,
  });
  const inner = step("inner", () => undefined, { flow: "tee_flow" });
  const outside = entrypoint("tee_root", () => {
    inner();
    // Code that leaves the OpenTelemetry context (a library scheduling background work).
    return context.with(ROOT_CONTEXT, () => currentFlowId());
  }, { flow: "tee_flow" })();
  const traceId = sdk.span("tee_root").spanContext().traceId;
  expect(outside).toBe(traceId);
  expect(stepIds).toEqual([traceId]);
});

test("an entrypoint inside an existing span (HTTP server instrumentation) continues that trace", async () => {
  const { sdk, tracer } = start();
  const run = checkoutFlow();
  const { serverSpan, seen } = await tracer.startActiveSpan("GET /checkout", async (span) => {
    const seen = await run();
    span.end();
    return { serverSpan: span, seen };
  });
  const traceId = serverSpan.spanContext().traceId;
  expect(seen).toEqual({ entry: traceId, context: traceId, nested: traceId, afterAwait: traceId });
  expect(traceIds(sdk)).toEqual([traceId]);
  expect(sdk.span("checkout").parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId);
});

test("runInFlow before any span: the same ID before, during and after its spans (remote parent)", async () => {
  const { sdk } = start();
  const run = checkoutFlow();
  const seen = await runInFlow({}, async () => {
    const before = currentFlowId();
    const during = await run();
    return { before, during, after: currentFlowId() };
  });
  expect(seen.before).toMatch(TRACE_ID);
  expect(seen.during).toEqual({ entry: seen.before, context: seen.before, nested: seen.before, afterAwait: seen.before });
  expect(seen.after).toBe(seen.before);
  expect(traceIds(sdk)).toEqual([seen.before]);
  // Without flowIdGenerator() the first span continues a remote parent named after the flow.
  expect(sdk.span("checkout").parentSpanContext).toMatchObject({ traceId: seen.before, isRemote: true });
});

test("runInFlow before any span with flowIdGenerator(): the same ID, and the first span is a true root", async () => {
  const { sdk } = start({ idGenerator: flowIdGenerator() });
  const run = checkoutFlow();
  const seen = await runInFlow({}, async () => ({ before: currentFlowId(), during: await run() }));
  expect(seen.before).toMatch(TRACE_ID);
  expect(seen.during.entry).toBe(seen.before);
  expect(seen.during.nested).toBe(seen.before);
  expect(traceIds(sdk)).toEqual([seen.before]);
  expect(sdk.span("checkout").parentSpanContext).toBeUndefined();
});

test("flowIdGenerator(): a root entrypoint's trace ID is its own ID from the start", async () => {
  const { sdk } = start({ idGenerator: flowIdGenerator() });
  const seen = await checkoutFlow()();
  expect(seen.entry).toMatch(TRACE_ID);
  expect(seen.nested).toBe(seen.entry);
  expect(traceIds(sdk)).toEqual([seen.entry]);
});

describe("who samples a flow opened before any span (ParentBased, root ratio 0)", () => {
  const sampler = () => new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0) });

  test("with flowIdGenerator() the spans are roots, so the root sampler decides: nothing recorded", async () => {
    const { sdk } = start({ idGenerator: flowIdGenerator(), sampler: sampler() });
    const seen = await runInFlow({}, checkoutFlow());
    expect(seen.entry).toMatch(TRACE_ID);
    expect(sdk.spans()).toEqual([]);
  });

  test("without it the remote parent is marked sampled, so the spans are recorded", async () => {
    const { sdk } = start({ sampler: sampler() });
    const seen = await runInFlow({}, checkoutFlow());
    expect(traceIds(sdk)).toEqual([seen.entry]);
  });
});

test("an inbound trace-shaped correlation ID becomes the trace ID; a mixed-case one is lower-cased", async () => {
  const { sdk } = start();
  const run = checkoutFlow();
  const inbound = "4bf92f3577b34da6a3ce929d0e0e4736";
  const seen = await runInFlow({ correlationId: inbound }, run);
  expect(seen.entry).toBe(inbound);
  expect(traceIds(sdk)).toEqual([inbound]);

  const upper = await runInFlow({ correlationId: "0AF7651916CD43DD8448EB211C80319C" }, () => currentFlowId());
  expect(upper).toBe("0af7651916cd43dd8448eb211c80319c");
});

test("an inbound ID that cannot be a trace ID is replaced by a fresh one that can", async () => {
  const { sdk } = start();
  const run = checkoutFlow();
  for (const inbound of ["req-42", "0".repeat(32), "abc\r\nx: y", "g".repeat(32)]) {
    const seen = await runInFlow({ correlationId: inbound }, async () => ({ before: currentFlowId(), during: await run() }));
    expect(seen.before).toMatch(TRACE_ID);
    expect(seen.before).not.toBe("0".repeat(32));
    expect(seen.during.entry).toBe(seen.before);
  }
  expect(traceIds(sdk)).toHaveLength(4);
});

test("an inbound traceparent is continued: same trace, its span as parent, its tracestate kept", async () => {
  const { sdk } = start();
  const run = checkoutFlow();
  const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const seen = await runInFlow({ traceparent, tracestate: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7", correlationId: "ignored-when-traceparent-is-valid" }, async () => ({
    before: currentFlowId(),
    during: await run(),
  }));
  expect(seen.before).toBe("0af7651916cd43dd8448eb211c80319c");
  expect(seen.during.nested).toBe(seen.before);
  const root = sdk.span("checkout");
  expect(root.parentSpanContext).toMatchObject({ traceId: seen.before, spanId: "b7ad6b7169203331", isRemote: true });
  expect(root.spanContext().traceState?.serialize()).toBe("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
});

test("an inbound traceparent that is not sampled: same ID, and the SDK records nothing (W3C sampled flag honoured)", async () => {
  const { sdk } = start();
  const run = checkoutFlow();
  const seen = await runInFlow({ traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00" }, run);
  expect(seen.entry).toBe("0af7651916cd43dd8448eb211c80319c");
  expect(sdk.spans()).toEqual([]);
});

test("runInFlow inside a server span keeps the span's trace, whatever came inbound", async () => {
  const { sdk, tracer } = start();
  const run = checkoutFlow();
  const { traceId, seen } = await tracer.startActiveSpan("POST /checkout", async (span) => {
    const seen = await runInFlow({ correlationId: "4bf92f3577b34da6a3ce929d0e0e4736" }, async () => ({ before: currentFlowId(), during: await run() }));
    span.end();
    return { traceId: span.spanContext().traceId, seen };
  });
  expect(seen.before).toBe(traceId);
  expect(seen.during.entry).toBe(traceId);
  expect(traceIds(sdk)).toEqual([traceId]);
});

test("runInFlow inside an entrypoint keeps its flow and the caller's span as parent", async () => {
  const { sdk } = start();
  const inner = step("inner", () => currentFlowId(), { flow: "outer_flow" });
  const outer = entrypoint("outer", () => ({ outer: currentFlowId(), inner: runInFlow({ values: [["k", 1]] }, inner) }), { flow: "outer_flow" });
  const seen = outer();
  expect(seen.inner).toBe(seen.outer);
  expect(sdk.span("inner").parentSpanContext?.spanId).toBe(sdk.span("outer").spanContext().spanId);
});

test("1,000 concurrent flows opened by runInFlow: each reports the ID its own spans carry", async () => {
  const { sdk } = start();
  const work = step("work", async (delay: number) => {
    await new Promise((resolve) => setTimeout(resolve, delay));
    return currentFlowId();
  }, { flow: "many" });
  const handle = entrypoint("handle", async (delay: number) => ({ entry: currentFlowId(), step: await work(delay) }), { flow: "many" });
  const results = await Promise.all(
    Array.from({ length: 1000 }, (_, index) =>
      runInFlow({}, async () => ({ before: currentFlowId(), during: await handle(index % 7) })),
    ),
  );
  const byTrace = new Map<string, string[]>();
  for (const span of sdk.spans()) byTrace.set(span.spanContext().traceId, [...(byTrace.get(span.spanContext().traceId) ?? []), span.name]);
  expect(new Set(results.map((result) => result.before)).size).toBe(1000);
  for (const { before, during } of results) {
    expect(during).toEqual({ entry: before, step: before });
    expect(byTrace.get(before!)?.sort()).toEqual(["handle", "work"]);
  }
});
