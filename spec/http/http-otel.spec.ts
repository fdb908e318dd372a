// penstock/http under a real OpenTelemetry SDK: the response header, currentFlowId() in the
// handler and the trace ID of the handler's spans are one ID.
import express from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { configure, currentFlowId, entrypoint } from "../../lib";
import { flowMiddleware, withFlow } from "../../lib/http";
import { flowIdGenerator } from "../../lib/otel";
import { flowMixin } from "../../lib/pino";
import { resetPenstock } from "../../lib/testing";
import { captureLogger, type CapturedLogger } from "../support/capture";
import { startOtelSdk, type OtelSdk } from "../support/otel-sdk";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
let server: Server;
let base: string;
let sdk: OtelSdk;
let capture: CapturedLogger;

function start(idGenerator: boolean): void {
  // Forgets a flowIdGenerator() made for an earlier test's SDK.
  resetPenstock();
  sdk = startOtelSdk(idGenerator ? { idGenerator: flowIdGenerator() } : {});
  configure("otel");
}

beforeAll(async () => {
  resetPenstock();
  capture = captureLogger({ mixin: flowMixin });
  const app = express();
  app.use(flowMiddleware());
  const handle = entrypoint("get_order", async () => {
    capture.logger.info("in entrypoint");
    return currentFlowId();
  }, { flow: "orders" });
  app.get("/order", async (_req, res) => {
    capture.logger.info("in handler");
    res.json({ before: currentFlowId(), inside: await handle() });
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await sdk.shutdown();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

test.each([
  ["without flowIdGenerator", false],
  ["with flowIdGenerator", true],
])("%s, a fresh request's header, handler ID, log lines and span trace ID agree", async (_label, idGenerator) => {
  start(idGenerator);
  const response = await fetch(`${base}/order`);
  const id = response.headers.get("x-correlation-id");
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(await response.json()).toEqual({ before: id, inside: id });
  expect(sdk.span("get_order").spanContext().traceId).toBe(id);
  const lines = capture.records().filter((record) => record.msg === "in handler" || record.msg === "in entrypoint").slice(-2);
  expect(lines.map((record) => record.correlation_id)).toEqual([id, id]);
});

test("an inbound traceparent is continued: the handler's span is a child of the remote span", async () => {
  start(true);
  const response = await fetch(`${base}/order`, { headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` } });
  expect(response.headers.get("x-correlation-id")).toBe(TRACE_ID);
  expect(await response.json()).toEqual({ before: TRACE_ID, inside: TRACE_ID });
  const span = sdk.span("get_order");
  expect(span.spanContext().traceId).toBe(TRACE_ID);
  expect(span.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
});

test("an inbound X-Correlation-ID that is a trace ID is continued; one that is not is replaced (a flow's ID is a trace ID under OTel)", async () => {
  start(false);
  const traceShaped = await fetch(`${base}/order`, { headers: { "x-correlation-id": TRACE_ID } });
  expect(traceShaped.headers.get("x-correlation-id")).toBe(TRACE_ID);
  await traceShaped.json();
  const other = await fetch(`${base}/order`, { headers: { "x-correlation-id": "req-42" } });
  const id = other.headers.get("x-correlation-id");
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(await other.json()).toEqual({ before: id, inside: id });
});

test("withFlow: the Response header is the trace ID of the handler's spans", async () => {
  start(true);
  const handler = withFlow(async () => Response.json({ id: await entrypoint("fetch_handler", () => currentFlowId())() }));
  const response = await handler(new Request("http://app.test/"));
  const id = response.headers.get("x-correlation-id");
  expect(await response.json()).toEqual({ id });
  expect(sdk.span("fetch_handler").spanContext().traceId).toBe(id);
});
