// The context the propagator extracted is continued as it is, tracestate and baggage kept:
// for runInFlow(extractFlow(carrier)), the HTTP adapters and flowProcessor.
import { context, propagation, trace } from "@opentelemetry/api";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { configure, entrypoint, extractFlow, runInFlow } from "../../lib";
import { flowProcessor } from "../../lib/bullmq";
import { flowListener } from "../../lib/http";
import { resetPenstock } from "../../lib/testing";
import { startOtelSdk, type OtelSdk } from "../support/otel-sdk";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT = "00f067aa0ba902b7";
// A member the W3C grammar rejects (an upper-case key), which penstock's own parser drops as a
// whole, next to Sentry's: what the propagator keeps must reach the span as it is.
const TRACESTATE = "sentry=dsc-value,Vendor=X1,congo=t61rcWkgMzE";
const BAGGAGE = "sentry-trace_id=4bf92f3577b34da6a3ce929d0e0e4736,sentry-sample_rate=1,user=alice";
const headers = { traceparent: `00-${TRACE_ID}-${PARENT}-01`, tracestate: TRACESTATE, baggage: BAGGAGE };

let sdk: OtelSdk;
beforeEach(() => {
  resetPenstock();
  sdk = startOtelSdk();
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  configure("otel");
});
afterEach(async () => {
  await sdk.shutdown();
});

/** What the step sees of the inbound context: the baggage, and its span's remote parent. */
const handle = entrypoint("handle_inbound", () => ({ user: propagation.getBaggage(context.active())?.getEntry("user")?.value, dsc: propagation.getBaggage(context.active())?.getEntry("sentry-sample_rate")?.value }), { flow: "inbound" });

/** The tracestate as the W3C propagator itself reads the inbound headers. */
function propagatorsTraceState(): string | undefined {
  const getter = { keys: (carrier: unknown) => Object.keys(carrier as object), get: (carrier: unknown, key: string) => (carrier as Record<string, string>)[key] };
  return trace.getSpanContext(new W3CTraceContextPropagator().extract(context.active(), headers, getter))?.traceState?.serialize();
}

function expectContinued(seen: { user?: string; dsc?: string }): void {
  expect(seen).toEqual({ user: "alice", dsc: "1" });
  const span = sdk.span("handle_inbound");
  expect(span.spanContext().traceId).toBe(TRACE_ID);
  expect(span.parentSpanContext?.spanId).toBe(PARENT);
  expect(span.parentSpanContext?.traceState?.serialize()).toBe(propagatorsTraceState());
  expect(span.parentSpanContext?.traceState?.get("sentry")).toBe("dsc-value");
  // The span's own trace state carries the inbound entries on (what the SDK propagates downstream).
  expect(span.spanContext().traceState?.get("congo")).toBe("t61rcWkgMzE");
}

test("runInFlow(extractFlow(carrier)) continues the extracted context: every tracestate entry the propagator kept, and the baggage", () => {
  expectContinued(runInFlow(extractFlow(headers), () => handle()));
});

test("flowListener continues it for a request", async () => {
  let seen: { user?: string; dsc?: string } = {};
  const server: Server = createServer(flowListener((_req, res) => {
    seen = handle();
    res.end("ok");
  }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers })).text();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  expectContinued(seen);
});

test("flowProcessor continues it for a job", async () => {
  const processor = flowProcessor(async (_job: unknown) => handle());
  expectContinued(await processor({ data: { order: 1, __penstock: headers } }));
});

test("the options extractFlow returns stay plain strings to whoever reads or copies them", () => {
  const options = extractFlow(headers);
  expect(JSON.parse(JSON.stringify(options))).toEqual({ traceparent: headers.traceparent, tracestate: expect.stringContaining("sentry=dsc-value") });
  // A copy (spread) has no extracted context: it continues the parsed parent, without the baggage.
  expect(runInFlow({ ...options }, () => handle())).toEqual({ user: undefined, dsc: undefined });
  expect(sdk.span("handle_inbound").spanContext().traceId).toBe(TRACE_ID);
});
