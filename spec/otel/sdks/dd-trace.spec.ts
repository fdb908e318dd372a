// dd-trace 5 in a child process, its OpenTelemetry TracerProvider registered, a stub agent on
// 127.0.0.1: penstock's spans nest under dd-trace's web.request span, currentFlowId() is the
// 128-bit trace ID dd-trace reports, in the handler and its body listeners.
import { expectOneIdPerRequest, runSdkFixture, spanTree } from "./sdk-run";

test("dd-trace + its TracerProvider: one ID per request, body listeners in the flow and in dd-trace's span, spans nested under web.request", () => {
  const run = runSdkFixture("dd-trace.cjs", { DD_INSTRUMENTATION_TELEMETRY_ENABLED: "false", DD_REMOTE_CONFIGURATION_ENABLED: "false", DD_TRACE_STARTUP_LOGS: "false" });
  expect(run.backend).toBe("otel");
  expectOneIdPerRequest(run, (span) => span.kind === "web.request");
  expect(spanTree(run.spans, run.one.header).split("\n")[0]).toBe("POST /orders [web.request]");
});
