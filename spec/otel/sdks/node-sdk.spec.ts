// The OpenTelemetry NodeSDK with the auto-instrumentations (a version that runs on Node 20),
// in a child process: penstock's spans nest under the SDK's HTTP server span, currentFlowId()
// is the SDK's trace ID and the response header, in the handler and in its body listeners, for
// 50 concurrent requests kept apart.
import { expectOneIdPerRequest, runSdkFixture, spanTree } from "./sdk-run";

test("NodeSDK + auto-instrumentations-node: one ID per request, body listeners in the flow, spans nested under the server span", () => {
  const run = runSdkFixture("node-sdk.cjs");
  expect(run.backend).toBe("otel");
  // SpanKind.SERVER is 1.
  expectOneIdPerRequest(run, (span) => span.kind === 1 && span.name === "POST /orders");
  const tree = spanTree(run.spans, run.one.header);
  expect(tree.split("\n")[0]).toBe("POST /orders [1]");
  expect(tree).toMatch(/ {2,}place_order \[0\]\n {4,}price_order \[0\]/);
});
