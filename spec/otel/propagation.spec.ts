// injectFlow / extractFlow: a flow across a process boundary, with OpenTelemetry (W3C trace
// context) and with the logging backend (the correlation ID).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { trace } from "@opentelemetry/api";
import { configure, currentFlowId, entrypoint, extractFlow, injectFlow, runInFlow, step } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { captureLogger } from "../support/capture";
import { penstockErrorOf } from "../support/errors";
import { startOtelSdk, type OtelSdk } from "../support/otel-sdk";

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;
let sdk: OtelSdk | undefined;

beforeEach(() => resetPenstock());
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
});

/** The logging backend, writing to memory rather than to the test output. */
function useLogging(): void {
  configure({ backend: "logging", logger: captureLogger().logger });
}

/** Runs the carrier through a real second node process using the built package. */
function continueElsewhere(carrier: object, mode: "otel" | "logging"): {
  backend: string;
  seen: { before: string; during: { entry: string; step: string } };
  spans: { name: string; traceId: string; parentSpanId?: string }[];
} {
  const script = join(__dirname, "fixtures", "continue-flow.mjs");
  // The child's log lines go to its stderr, kept out of the test output.
  return JSON.parse(execFileSync(process.execPath, [script, JSON.stringify(carrier), mode], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
}

describe.each([
  ["with the W3C propagator registered", true],
  ["with no propagator registered (the API's no-op)", false],
])("OpenTelemetry %s", (_title, w3cPropagator) => {
  beforeEach(() => {
    sdk = startOtelSdk({ w3cPropagator });
    configure("otel");
  });

  test("injectFlow writes the active span as traceparent, and the trace ID as correlation ID", () => {
    const publish = step("publish", () => ({ carrier: injectFlow(), spanId: trace.getActiveSpan()!.spanContext().spanId }), { flow: "orders" });
    const { carrier, spanId } = entrypoint("place", publish, { flow: "orders" })();
    const traceId = sdk!.span("place").spanContext().traceId;
    expect(carrier).toEqual({ traceparent: `00-${traceId}-${spanId}-01`, "x-correlation-id": traceId });
  });

  test("a flow continued from the carrier in this process is the same trace, the producer's span its parent", async () => {
    const consume = entrypoint("consume", () => currentFlowId(), { flow: "shipping" });
    const carrier = entrypoint("produce", () => injectFlow({ orderId: "A-1" }), { flow: "orders" })();
    const consumed = runInFlow(extractFlow(carrier), consume);
    const producer = sdk!.span("produce").spanContext();
    expect(consumed).toBe(producer.traceId);
    expect(sdk!.span("consume").parentSpanContext).toMatchObject({ traceId: producer.traceId, spanId: producer.spanId, isRemote: true });
  });

  test("tracestate travels with traceparent", () => {
    const inbound = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", tracestate: "congo=t61rcWkgMzE" };
    const carrier = runInFlow(extractFlow(inbound), entrypoint("relay", () => injectFlow()));
    expect(carrier).toEqual({
      traceparent: expect.stringMatching(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/),
      tracestate: "congo=t61rcWkgMzE",
      "x-correlation-id": "0af7651916cd43dd8448eb211c80319c",
    });
  });
});

test("OpenTelemetry: a flow continued in another process is the same trace", () => {
  sdk = startOtelSdk({ w3cPropagator: true });
  configure("otel");
  const carrier = entrypoint("produce", () => injectFlow(), { flow: "orders" })();
  const producer = sdk.span("produce").spanContext();

  const remote = continueElsewhere(carrier, "otel");
  // The logger given to configure() keeps its step logs next to the spans.
  expect(remote.backend).toBe("otel+logging");
  expect(remote.seen).toEqual({ before: producer.traceId, during: { entry: producer.traceId, step: producer.traceId } });
  expect(remote.spans).toEqual([
    { name: "ship", traceId: producer.traceId, parentSpanId: expect.stringMatching(/^[0-9a-f]{16}$/) },
    { name: "consume", traceId: producer.traceId, parentSpanId: producer.spanId },
  ]);
});

test("a process that only logs continues an OpenTelemetry flow under its trace ID", () => {
  sdk = startOtelSdk();
  configure("otel");
  const carrier = entrypoint("produce", () => injectFlow(), { flow: "orders" })();
  const traceId = sdk.span("produce").spanContext().traceId;
  const remote = continueElsewhere(carrier, "logging");
  expect(remote.backend).toBe("logging");
  expect(remote.seen).toEqual({ before: traceId, during: { entry: traceId, step: traceId } });
});

describe("logging backend", () => {
  test("injectFlow writes the correlation ID, and a traceparent naming the flow and the calling step", () => {
    const { logger, records } = captureLogger();
    configure({ backend: "logging", logger });
    const carrier = entrypoint("produce", () => injectFlow({ orderId: "A-1" }), { flow: "orders" })();
    const start = records().find((record) => record.msg === "step.start")!;
    expect(carrier).toEqual({
      orderId: "A-1",
      "x-correlation-id": start.correlation_id,
      traceparent: `00-${start.correlation_id}-${start.span_id}-01`,
    });
  });

  test("a non-hex correlation ID travels alone, under a configurable key", () => {
    useLogging();
    const carrier = runInFlow({ correlationId: "req-42" }, () => injectFlow({}, { correlationHeader: "X-Request-ID" }));
    expect(carrier).toEqual({ "x-request-id": "req-42" });
    expect(extractFlow({ "X-Request-ID": "req-42" }, { correlationHeader: "x-request-id" })).toEqual({ correlationId: "req-42" });
  });

  test("the flow continues from the carrier with the same correlation ID, here and in another process", () => {
    useLogging();
    const carrier = entrypoint("produce", () => injectFlow(), { flow: "orders" })();
    const id = carrier["x-correlation-id"]!;
    expect(runInFlow(extractFlow(carrier), () => currentFlowId())).toBe(id);
    expect(continueElsewhere(carrier, "logging").seen.during.step).toBe(id);
  });

  test("the continued process under OpenTelemetry takes the logged flow's ID as its trace ID", () => {
    useLogging();
    const carrier = entrypoint("produce", () => injectFlow(), { flow: "orders" })();
    const remote = continueElsewhere(carrier, "otel");
    expect(remote.seen.before).toBe(carrier["x-correlation-id"]);
    expect(new Set(remote.spans.map((span) => span.traceId))).toEqual(new Set([carrier["x-correlation-id"]]));
    expect(remote.spans.find((span) => span.name === "consume")!.parentSpanId).toBe(carrier.traceparent!.match(TRACEPARENT)![2]);
  });
});

describe("carriers of every shape", () => {
  beforeEach(() => useLogging());

  test("Node's req.headers (lower-case keys), any-case records, fetch Headers and Map", () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const expected = { traceparent, correlationId: "req-1" };
    expect(extractFlow({ traceparent, "x-correlation-id": "req-1" })).toEqual(expected);
    expect(extractFlow({ TraceParent: traceparent, "X-Correlation-ID": "req-1" })).toEqual(expected);
    expect(extractFlow(new Headers({ traceparent, "x-correlation-id": "req-1" }))).toEqual(expected);
    expect(extractFlow(new Map([["traceparent", traceparent], ["x-correlation-id", "req-1"]]))).toEqual(expected);

    const headers = runInFlow({ correlationId: "req-2" }, () => injectFlow(new Headers()));
    expect(headers.get("x-correlation-id")).toBe("req-2");
    const map = runInFlow({ correlationId: "req-3" }, () => injectFlow(new Map<string, string>()));
    expect(map.get("x-correlation-id")).toBe("req-3");
  });

  test("outside a flow injectFlow returns the carrier unchanged", () => {
    const carrier = { keep: "me" };
    expect(injectFlow(carrier)).toBe(carrier);
    expect(carrier).toEqual({ keep: "me" });
    expect(injectFlow()).toEqual({});
  });

  test("misuse by the caller is a PenstockError naming the field", () => {
    expect(penstockErrorOf(() => injectFlow("headers" as never))).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("carrier must be an object") });
    expect(penstockErrorOf(() => extractFlow({}, { correlationHeader: "bad header" }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("correlationHeader"),
    });
    expect(penstockErrorOf(() => injectFlow({}, { header: "x" } as never))).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining('unknown option "header"') });
  });
});

describe("invalid inbound values are ignored: a fresh flow starts, no error, nothing echoed", () => {
  const VALID_ID = "0af7651916cd43dd8448eb211c80319c";
  const VALID_SPAN = "b7ad6b7169203331";
  // The W3C trace-context test suite's invalid traceparent cases, and a few more.
  const invalidTraceparents: [string, unknown][] = [
    ["empty", ""],
    ["version ff", `ff-${VALID_ID}-${VALID_SPAN}-01`],
    ["one-digit version", `0-${VALID_ID}-${VALID_SPAN}-01`],
    ["three-digit version", `000-${VALID_ID}-${VALID_SPAN}-01`],
    ["non-hex version", `0g-${VALID_ID}-${VALID_SPAN}-01`],
    ["upper-case trace ID", `00-${VALID_ID.toUpperCase()}-${VALID_SPAN}-01`],
    ["all-zero trace ID", `00-${"0".repeat(32)}-${VALID_SPAN}-01`],
    ["short trace ID", `00-${VALID_ID.slice(1)}-${VALID_SPAN}-01`],
    ["long trace ID", `00-${VALID_ID}0-${VALID_SPAN}-01`],
    ["all-zero parent ID", `00-${VALID_ID}-${"0".repeat(16)}-01`],
    ["short parent ID", `00-${VALID_ID}-${VALID_SPAN.slice(1)}-01`],
    ["non-hex parent ID", `00-${VALID_ID}-${VALID_SPAN.slice(1)}z-01`],
    ["one-digit flags", `00-${VALID_ID}-${VALID_SPAN}-1`],
    ["non-hex flags", `00-${VALID_ID}-${VALID_SPAN}-0g`],
    ["dots for dashes", `00.${VALID_ID}.${VALID_SPAN}.01`],
    ["version 00 with a trailing dash", `00-${VALID_ID}-${VALID_SPAN}-01-`],
    ["version 00 with more fields", `00-${VALID_ID}-${VALID_SPAN}-01-what-the-future-will-be-like`],
    ["future version without the dash", `cc-${VALID_ID}-${VALID_SPAN}-01.what-the-future-will-be-like`],
    ["leading junk", `x00-${VALID_ID}-${VALID_SPAN}-01`],
    ["CR/LF inside", `00-${VALID_ID}-${VALID_SPAN}-01\r\nx-injected: 1`],
    ["two joined headers", `00-${VALID_ID}-${VALID_SPAN}-01, 00-${VALID_ID}-${VALID_SPAN}-01`],
    ["two headers as an array", [`00-${VALID_ID}-${VALID_SPAN}-01`, `00-${VALID_ID}-${VALID_SPAN}-01`]],
    ["15 KB", `00-${VALID_ID}-${VALID_SPAN}-01-${"a".repeat(15 * 1024)}`],
    ["a number", 42],
    ["an object", { toString: () => `00-${VALID_ID}-${VALID_SPAN}-01` }],
  ];

  describe.each([["logging"], ["otel"]] as const)("with the %s backend", (backend) => {
    beforeEach(() => {
      if (backend === "otel") {
        sdk = startOtelSdk({ w3cPropagator: true });
        configure("otel");
      } else {
        useLogging();
      }
    });

    test.each(invalidTraceparents)("traceparent: %s", (_name, traceparent) => {
      const carrier = { traceparent, tracestate: "congo=t61rcWkgMzE" };
      expect(extractFlow(carrier)).toEqual({});
      const id = runInFlow(extractFlow(carrier), () => currentFlowId());
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(id).not.toBe(VALID_ID);
      // Given to runInFlow directly, the same values are ignored too.
      expect(runInFlow({ traceparent: traceparent as string }, () => currentFlowId())).not.toBe(VALID_ID);
    });

    test("the valid forms: optional whitespace around it, and a future version with more fields", () => {
      expect(extractFlow({ traceparent: ` 00-${VALID_ID}-${VALID_SPAN}-01\t` }).traceparent).toBe(`00-${VALID_ID}-${VALID_SPAN}-01`);
      expect(runInFlow({ traceparent: `cc-${VALID_ID}-${VALID_SPAN}-01-what-the-future-will-be-like` }, () => currentFlowId())).toBe(VALID_ID);
    });

    test("an invalid tracestate is dropped, the traceparent kept", () => {
      const traceparent = `00-${VALID_ID}-${VALID_SPAN}-01`;
      for (const tracestate of ["no-equals-sign", "UPPER=1", "a=1,a=2", "a=x\ty", `k=${"v".repeat(600)}`, Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(",")]) {
        const extracted = extractFlow({ traceparent, tracestate });
        expect(extracted.traceparent).toBe(traceparent);
        if (backend === "logging") expect(extracted.tracestate).toBeUndefined();
        // OpenTelemetry's own TraceState drops the bad members and keeps the good ones.
        else expect(extracted.tracestate ?? "").not.toContain("UPPER");
      }
    });

    test("correlation IDs that are not safe are never adopted or echoed", () => {
      const hostile: unknown[] = ["abc\r\nSet-Cookie: x=1", "a\u0085b", "a\u2028b", "é".repeat(4), "x".repeat(15 * 1024), "", "has space", 42, null, ["a", "b"]];
      for (const value of hostile) {
        const extracted = extractFlow({ "x-correlation-id": value });
        expect(extracted).toEqual({});
        const carrier = runInFlow(extracted, () => injectFlow());
        expect(carrier["x-correlation-id"]).toMatch(/^[0-9a-f]{32}$/);
      }
    });

    test("carriers that are not maps, or whose getters throw, give a fresh flow", () => {
      const throwing = new Proxy({}, { get: () => { throw new Error("hostile getter"); }, ownKeys: () => { throw new Error("hostile keys"); } });
      for (const carrier of [undefined, null, "traceparent", 42, throwing, { get: () => { throw new Error("boom"); } }]) {
        expect(extractFlow(carrier)).toEqual({});
      }
    });
  });
});
