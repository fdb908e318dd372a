// OpenTelemetry is found from its global registration (the API's versioned global), and the
// setups that record nothing are said, once each: a bundled or duplicated API copy is seen, a
// provider under an API version penstock's copy cannot use is named, configure("otel") without
// an SDK warns, and so does Sentry ≥ 8 without its OpenTelemetry setup.
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { Backend } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { startOtelSdk, type OtelSdk } from "../support/otel-sdk";

type Penstock = typeof import("../../lib");
const API_VERSION_MODULE = join(__dirname, "../../node_modules/@opentelemetry/api/build/src/version.js");

/** penstock loaded afresh, with `load` standing for its require of optional peers. */
function penstockWith(load: (id: string) => unknown, resolve: (id: string) => string = () => {
  throw new Error("not found");
}): Penstock {
  let loaded!: Penstock;
  jest.isolateModules(() => {
    jest.doMock("../../lib/internal/require-optional", () => ({ requireOptional: load, resolveOptional: resolve }));
    loaded = require("../../lib") as Penstock;
  });
  return loaded;
}

/** A bundle without node_modules: @opentelemetry/api cannot be loaded from disk. */
const noApiOnDisk = (id: string): unknown => {
  throw Object.assign(new Error(`Cannot find module '${id}'`), { code: "MODULE_NOT_FOUND" });
};

function silentLogger() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("pino") as typeof import("pino")).default({ level: "silent" });
}

let sdk: OtelSdk | undefined;
let warnings: string[];
let warn: jest.SpyInstance;

beforeEach(() => {
  // The configuration lives in the global slot, shared by every copy loaded here.
  resetPenstock();
  warnings = [];
  warn = jest.spyOn(process, "emitWarning").mockImplementation(((message: string | Error) => {
    warnings.push(String(message));
  }) as typeof process.emitWarning);
});
afterEach(async () => {
  warn.mockRestore();
  await sdk?.shutdown();
  sdk = undefined;
  delete (globalThis as { __SENTRY__?: unknown }).__SENTRY__;
});

describe("a bundle that contains the API and the SDK but runs without node_modules", () => {
  test("auto-detection finds the SDK through the API's global: spans nest, the flow's ID is the trace ID, and the trace continues across processes", async () => {
    sdk = startOtelSdk({ w3cPropagator: true });
    const penstock = penstockWith(noApiOnDisk);
    penstock.configure({ onError: (error) => warnings.push(`fault: ${String(error)}`) });
    const child = penstock.step("bundled_child", async () => penstock.currentFlowId(), { flow: "bundled" });
    const root = penstock.entrypoint("bundled_root", async () => ({ id: penstock.currentFlowId(), child: await child(), carrier: penstock.injectFlow() }), { flow: "bundled" });
    const result = await root();
    expect((penstock.getBackend() as Backend).name).toBe("otel");
    const rootSpan = sdk.span("bundled_root");
    expect(result.id).toBe(rootSpan.spanContext().traceId);
    expect(result.child).toBe(result.id);
    expect(sdk.span("bundled_child").parentSpanContext?.spanId).toBe(rootSpan.spanContext().spanId);
    expect(result.carrier.traceparent).toMatch(new RegExp(`^00-${result.id}-[0-9a-f]{16}-01$`));

    const continued = await penstock.runInFlow(penstock.extractFlow(result.carrier), () => penstock.entrypoint("bundled_next", () => penstock.currentFlowId(), { flow: "bundled" })());
    expect(continued).toBe(result.id);
    expect(sdk.span("bundled_next").spanContext().traceId).toBe(result.id);
    expect(warnings).toEqual([]);
  });

  test('configure({ backend: "otel", tracer }) uses the given tracer without loading the API from disk', () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer("given");
    const penstock = penstockWith(noApiOnDisk);
    expect(() => penstock.configure({ backend: "otel", tracer })).not.toThrow();
    expect(penstock.entrypoint("with_tracer", (n: number) => n + 1)(1)).toBe(2);
    expect(exporter.getFinishedSpans().map((span) => [span.name, span.instrumentationScope.name])).toEqual([["with_tracer", "given"]]);
    expect(warnings).toEqual([]);
  });

  test('configure("otel") with neither the API on disk nor a registration still fails with OTEL_UNAVAILABLE', () => {
    const penstock = penstockWith(noApiOnDisk);
    expect(() => penstock.configure("otel")).toThrow(expect.objectContaining({ code: "OTEL_UNAVAILABLE" }));
  });
});

test("a provider registered under an API version penstock's copy cannot use: one warning names both versions and what to install, and spans are still recorded", () => {
  // The SDK registers through the app's @opentelemetry/api 1.9.1; penstock resolves a copy that
  // says 1.10.0 (as when an SDK nests an older copy of its own), which the API refuses the global.
  sdk = startOtelSdk();
  let newer!: unknown;
  jest.isolateModules(() => {
    jest.doMock(API_VERSION_MODULE, () => ({ VERSION: "1.10.0" }));
    newer = require("@opentelemetry/api");
  });
  const manifestDir = join(tmpdir(), `penstock-api-${process.pid}`, "node_modules", "@opentelemetry", "api");
  mkdirSync(join(manifestDir, "build"), { recursive: true });
  writeFileSync(join(manifestDir, "package.json"), JSON.stringify({ name: "@opentelemetry/api", version: "1.10.0" }));
  const penstock = penstockWith(
    (id) => (id === "@opentelemetry/api" ? newer : require(id)),
    () => join(manifestDir, "build", "index.js"),
  );
  // penstock's own copy alone sees no provider: it cannot use the registration.
  expect((newer as typeof import("@opentelemetry/api")).trace.getTracerProvider()).not.toBe((globalThis as Record<symbol, { trace?: unknown }>)[Symbol.for("opentelemetry.js.api.1")]!.trace);
  penstock.configure({ logger: silentLogger(), backend: "auto" });
  const inner = penstock.step("mismatch_inner", () => penstock.currentFlowId(), { flow: "mismatch" });
  const outer = penstock.entrypoint("mismatch_outer", () => inner(), { flow: "mismatch" });
  const id = outer();
  outer();
  expect((penstock.getBackend() as Backend).name).toBe("otel+logging");
  expect(sdk.spans().filter((span) => span.name === "mismatch_outer").map((span) => span.spanContext().traceId)[0]).toBe(id);
  expect(sdk.spans().find((span) => span.name === "mismatch_inner")!.parentSpanContext?.spanId).toBe(sdk.spans().find((span) => span.name === "mismatch_outer")!.spanContext().spanId);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/@opentelemetry\/api 1\.9\.1.*@opentelemetry\/api 1\.10\.0.*npm install @opentelemetry\/api@1\.9\.1/);
});

test('configure("otel") with the API but no SDK: one warning, however many calls', () => {
  const penstock = penstockWith((id) => require(id));
  penstock.configure("otel");
  for (let i = 0; i < 5; i++) penstock.entrypoint(`no_sdk_${i}`, () => undefined)();
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/no SDK has registered a tracer provider.*nothing is recorded/);
});

test("with @sentry/node ≥ 8 loaded and no OpenTelemetry provider, one warning says to enable Sentry's OpenTelemetry setup", () => {
  (globalThis as { __SENTRY__?: unknown }).__SENTRY__ = { version: "11.12.0" };
  const penstock = penstockWith((id) => require(id));
  penstock.configure({ logger: silentLogger() });
  penstock.entrypoint("with_sentry", () => undefined)();
  penstock.entrypoint("with_sentry_again", () => undefined)();
  expect((penstock.getBackend() as Backend).name).toBe("logging");
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/@sentry\/node 11 .*enableOpenTelemetrySetup: true/);
});

test("Sentry 7 (no OpenTelemetry at all) and no Sentry give no warning; neither does auto-detection without any SDK", () => {
  (globalThis as { __SENTRY__?: unknown }).__SENTRY__ = { version: "7.120.0" };
  const penstock = penstockWith((id) => require(id));
  penstock.configure({ logger: silentLogger() });
  penstock.entrypoint("sentry_7", () => undefined)();
  expect((penstock.getBackend() as Backend).name).toBe("logging");
  expect(warnings).toEqual([]);
});
