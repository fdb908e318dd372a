// Auto-detection: OpenTelemetry only when the API loads and a real tracer provider is
// registered; otherwise logging. The choice is made at the first call and kept.
import { trace } from "@opentelemetry/api";
import { configure, currentFlowId, entrypoint, getBackend } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { captureLogger } from "../support/capture";
import { startOtelSdk, type OtelSdk } from "../support/otel-sdk";

let sdk: OtelSdk | undefined;

beforeEach(() => resetPenstock());
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
});

test("the API alone (no SDK, only its no-op provider) is not enough: logging is chosen", () => {
  expect(trace.getTracerProvider().constructor.name).toBe("ProxyTracerProvider");
  expect(getBackend().name).toBe("logging");
});

test("an SDK's registered provider makes the first call choose OpenTelemetry", () => {
  sdk = startOtelSdk();
  const id = entrypoint("detected", () => currentFlowId())();
  expect(getBackend().name).toBe("otel");
  expect(id).toBe(sdk.span("detected").spanContext().traceId);
});

test("a tracer given to configure() is used by auto-detection even without a global provider", () => {
  const local = startOtelSdk();
  const tracer = local.provider.getTracer("given");
  // Only the provider object is kept: nothing global is registered any more.
  trace.disable();
  expect(trace.getTracerProvider().constructor.name).toBe("ProxyTracerProvider");
  configure({ tracer });
  entrypoint("with_given_tracer", () => undefined)();
  expect(getBackend().name).toBe("otel");
  expect(local.span("with_given_tracer").instrumentationScope.name).toBe("given");
  sdk = local;
});

test("an SDK started after the first call is not picked up until configure() is called again", () => {
  const { logger, records } = captureLogger();
  configure({ logger });
  entrypoint("before_sdk", () => undefined)();
  expect(getBackend().name).toBe("logging");

  sdk = startOtelSdk();
  entrypoint("after_sdk", () => undefined)();
  expect(getBackend().name).toBe("logging");
  expect(records().map((record) => record.step)).toEqual(["before_sdk", "before_sdk", "after_sdk", "after_sdk"]);
  expect(sdk.spans()).toEqual([]);

  configure("auto");
  entrypoint("after_reconfigure", () => undefined)();
  // The logger given to configure() keeps its step logs next to the spans, with one ID.
  expect(getBackend().name).toBe("otel+logging");
  expect(sdk.spans().map((span) => span.name)).toEqual(["after_reconfigure"]);
  expect(records().slice(-2).map((record) => record.correlation_id)).toEqual([sdk.span("after_reconfigure").spanContext().traceId, sdk.span("after_reconfigure").spanContext().traceId]);
});

test('configure("otel") without an SDK uses the no-op API: calls run, nothing is recorded, flows keep penstock\'s own ID', () => {
  configure("otel");
  const ids = [entrypoint("noop_a", () => currentFlowId())(), entrypoint("noop_b", () => currentFlowId())()];
  expect(getBackend().name).toBe("otel");
  expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
  expect(ids[0]).not.toBe(ids[1]);
});
