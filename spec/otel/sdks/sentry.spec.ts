// @sentry/node 11 in a child process, with a transport that records envelopes (no network).
// With its OpenTelemetry setup enabled, penstock's spans are Sentry spans nested under its HTTP
// server span, and currentFlowId() is Sentry's trace ID. With Sentry's default (no OpenTelemetry
// provider), penstock says so once, naming the option.
import { expectOneIdPerRequest, runSdkFixture, spanTree } from "./sdk-run";

test("Sentry.init({ enableOpenTelemetrySetup: true }): one ID per request (Sentry's trace ID), body listeners in the flow, spans nested under the http.server span", () => {
  const run = runSdkFixture("sentry.cjs");
  expect(run.backend).toBe("otel");
  expectOneIdPerRequest(run, (span) => span.kind === "http.server");
  expect(spanTree(run.spans, run.one.header).split("\n")[0]).toBe("POST /orders [http.server]");
  expect(run.stderr).not.toContain("PENSTOCK_OTEL_SETUP");
});

test("Sentry's default (no OpenTelemetry provider): logging, and one warning that names enableOpenTelemetrySetup", () => {
  const run = runSdkFixture("sentry.cjs", { SENTRY_OTEL: "off" });
  expect(run.backend).toBe("logging");
  // The flow's IDs are penstock's own, kept apart per request; Sentry's trace is another.
  const ids = [...run.many, run.one].map((request) => request.header);
  expect(new Set(ids).size).toBe(51);
  expect(run.one.body.sdkHandler).not.toBe(run.one.header);
  expect(run.one.body.data).toBe(run.one.header);
  expect(run.stderr.match(/PENSTOCK_OTEL_SETUP/g)).toHaveLength(1);
  expect(run.stderr).toContain("enableOpenTelemetrySetup: true");
});
