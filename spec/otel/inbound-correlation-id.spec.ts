// An inbound X-Correlation-ID that a server span's trace ID replaces is kept: the span attribute
// penstock.inbound_correlation_id, the log field inbound_correlation_id (step records and
// flowMixin lines), and the flow value of that name.
import { trace } from "@opentelemetry/api";
import { configure, currentFlowId, entrypoint, extractFlow, getFlowContext, loggingBackend, runInFlow } from "../../lib";
import { flowMixin } from "../../lib/pino";
import { resetPenstock } from "../../lib/testing";
import { captureLogger, type CapturedLogger } from "../support/capture";
import { startOtelSdk, type OtelSdk } from "../support/otel-sdk";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
let sdk: OtelSdk | undefined;
let capture: CapturedLogger;
beforeEach(() => {
  resetPenstock();
  capture = captureLogger({ mixin: flowMixin });
});
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
});

const handle = entrypoint("handle_request", () => {
  capture.logger.info("handling");
  return { id: currentFlowId(), values: getFlowContext()?.values.get("penstock.inbound_correlation_id") };
}, { flow: "requests" });

test("under a server span, the caller's X-Correlation-ID is kept on the entrypoint's span and log lines", () => {
  sdk = startOtelSdk();
  configure({ backend: ["otel", "logging"], logger: capture.logger });
  // As HTTP server instrumentation does: the request runs inside the server span.
  const result = trace.getTracer("http").startActiveSpan("GET /orders", (server) => {
    try {
      return runInFlow(extractFlow({ "x-correlation-id": "client-req-42" }), () => handle());
    } finally {
      server.end();
    }
  });
  expect(result.id).toBe(sdk.span("GET /orders").spanContext().traceId);
  expect(result.values).toBe("client-req-42");
  expect(sdk.span("handle_request").attributes["penstock.inbound_correlation_id"]).toBe("client-req-42");
  const lines = capture.records();
  expect(lines.map((line) => [line.msg, line.correlation_id, line.inbound_correlation_id])).toEqual([
    ["step.start", result.id, "client-req-42"],
    ["handling", result.id, "client-req-42"],
    ["step.end", result.id, "client-req-42"],
  ]);
});

test("with the logging backend, an X-Correlation-ID that an inbound traceparent wins over is kept too", () => {
  configure(loggingBackend({ logger: capture.logger }));
  const result = runInFlow(extractFlow({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, "x-correlation-id": "client-req-43" }), () => handle());
  expect(result).toEqual({ id: TRACE_ID, values: "client-req-43" });
  expect(capture.records().every((line) => line.inbound_correlation_id === "client-req-43")).toBe(true);
});

test("an inbound ID the flow adopts, or none, adds nothing", () => {
  configure(loggingBackend({ logger: capture.logger }));
  expect(runInFlow(extractFlow({ "x-correlation-id": "client-req-44" }), () => handle())).toEqual({ id: "client-req-44", values: undefined });
  expect(runInFlow({}, () => handle()).values).toBeUndefined();
  expect(capture.records().some((line) => "inbound_correlation_id" in line)).toBe(false);
});

test("under configure({ trustInbound: false }) nothing inbound is kept", () => {
  configure({ backend: loggingBackend({ logger: capture.logger }), trustInbound: false });
  expect(runInFlow({ correlationId: "client-req-45" }, () => handle()).values).toBeUndefined();
});
