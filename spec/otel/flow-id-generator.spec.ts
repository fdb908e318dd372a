// flowIdGenerator(): the flow's ID goes to the first root span of a flow call that has no trace
// yet, other roots get fresh IDs (one root per trace), span IDs are 64 random bits each, and
// its effect ends with its provider.
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { configure, currentFlowId, entrypoint, runInFlow } from "../../lib";
import { flowIdGenerator } from "../../lib/otel";
import { resetPenstock } from "../../lib/testing";
import { startOtelSdk, type OtelSdk } from "../support/otel-sdk";

let sdk: OtelSdk | undefined;
beforeEach(() => resetPenstock());
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
});

const rootsOf = (spans: ReadableSpan[], traceId: string): string[] =>
  spans.filter((span) => span.spanContext().traceId === traceId && span.parentSpanContext === undefined).map((span) => span.name);

test("a { root: true } span and a span in ROOT_CONTEXT inside a flow get fresh trace IDs: each trace has one root", () => {
  sdk = startOtelSdk({ idGenerator: flowIdGenerator() });
  configure("otel");
  const tracer = trace.getTracer("user");
  const id = entrypoint("with_roots", () => {
    tracer.startSpan("background", { root: true }).end();
    tracer.startSpan("detached", {}, ROOT_CONTEXT).end();
    return currentFlowId();
  }, { flow: "roots" })();
  expect(sdk.span("with_roots").spanContext().traceId).toBe(id);
  for (const name of ["background", "detached"]) expect(sdk.span(name).spanContext().traceId).not.toBe(id);
  const spans = sdk.spans();
  expect(rootsOf(spans, id!)).toEqual(["with_roots"]);
  expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(3);
});

test("in a flow opened by runInFlow, the first entrypoint is the root with the flow's ID; a later one joins that trace under it", () => {
  sdk = startOtelSdk({ idGenerator: flowIdGenerator() });
  configure("otel");
  const first = entrypoint("first_job_step", () => currentFlowId(), { flow: "jobs" });
  const second = entrypoint("second_job_step", () => currentFlowId(), { flow: "jobs" });
  const ids = runInFlow({}, () => [currentFlowId(), first(), second()]);
  expect(new Set(ids).size).toBe(1);
  const [id] = ids as [string];
  expect(sdk.span("first_job_step").spanContext().traceId).toBe(id);
  expect(sdk.span("second_job_step").spanContext().traceId).toBe(id);
  expect(sdk.span("second_job_step").parentSpanContext?.spanId).toBe(sdk.span("first_job_step").spanContext().spanId);
  expect(rootsOf(sdk.spans(), id)).toEqual(["first_job_step"]);
});

test("span IDs are 64 random bits each: no shared halves, every bit varies", () => {
  const generator = flowIdGenerator();
  const ids = Array.from({ length: 20_000 }, () => generator.generateSpanId());
  expect(ids.every((id) => /^[0-9a-f]{16}$/.test(id) && id !== "0000000000000000")).toBe(true);
  expect(new Set(ids).size).toBe(ids.length);
  // Built from two tables of 256 halves, 20,000 IDs would share at most 256 distinct suffixes.
  expect(new Set(ids.map((id) => id.slice(8))).size).toBeGreaterThan(19_900);
  expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBeGreaterThan(19_900);
  // Each of the 64 bits is set in about half of the IDs.
  for (let bit = 0; bit < 64; bit++) {
    const set = ids.filter((id) => (BigInt(`0x${id}`) >> BigInt(bit)) & 1n).length;
    expect(set / ids.length).toBeGreaterThan(0.45);
    expect(set / ids.length).toBeLessThan(0.55);
  }
});

test("its effect ends with its provider: under the next SDK, without the generator, a flow opened by runInFlow keeps one ID with its spans", async () => {
  sdk = startOtelSdk({ idGenerator: flowIdGenerator() });
  configure("otel");
  const job = entrypoint("provider_job", () => currentFlowId(), { flow: "providers" });
  const underFirst = runInFlow({}, () => job());
  expect(sdk.span("provider_job").spanContext().traceId).toBe(underFirst);
  await sdk.shutdown();

  sdk = startOtelSdk();
  configure("otel");
  const underSecond = runInFlow({}, () => job());
  expect(sdk.span("provider_job").spanContext().traceId).toBe(underSecond);
});
