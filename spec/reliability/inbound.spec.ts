// Fault matrix, inbound IDs: whatever arrives from outside (runInFlow options, carriers read
// by extractFlow) is adopted only when valid; otherwise a fresh ID, never echoed or logged raw.
// configure({ trustInbound: false }) adopts nothing at all.
import { configure, currentFlowId, entrypoint, extractFlow, runInFlow } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { captureLogger, type CapturedLogger } from "../support/capture";
import { penstockErrorOf } from "../support/errors";
import { startOtelSdk } from "../support/otel-sdk";

const HEX32 = /^[0-9a-f]{32}$/;
const MARK = "EVILMARK";
let captured: CapturedLogger;

beforeEach(() => {
  resetPenstock();
  captured = captureLogger();
  configure({ backend: "logging", logger: captured.logger });
});

/** Every ID value below carries MARK, so its raw echo in a log line would be found. */
const BAD_IDS: [string, unknown][] = [
  ["CR/LF (header injection)", `${MARK}\r\nX-Injected: 1`],
  ["a lone LF", `${MARK}\nline`],
  ["NEL \\u0085", `${MARK}\u0085x`],
  ["LINE SEPARATOR \\u2028", `${MARK}\u2028x`],
  ["a Latin-1 character (é)", `${MARK}é`],
  ["a character above 0xFF", `${MARK}\u4e2d`],
  ["an emoji (surrogate pair)", `${MARK}\u{1F600}`],
  ["a 15 KB value", MARK + "a".repeat(15 * 1024)],
  ["129 characters", MARK + "b".repeat(121)],
  ["duplicate headers joined by a comma", `${MARK}-1, ${MARK}-2`],
  ["spaces", `${MARK} x`],
  ["a NUL byte", `${MARK}\u0000`],
  ["the empty string", ""],
  ["a number", 12345],
  ["an object", { toString: () => MARK }],
  ["an array of two IDs", [`${MARK}-1`, `${MARK}-2`]],
];

/** The W3C trace-context spec's invalid traceparent forms (and a few more). */
const BAD_TRACEPARENTS: [string, string][] = [
  ["version ff", "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
  ["all-zero trace-id", "00-00000000000000000000000000000000-b7ad6b7169203331-01"],
  ["all-zero parent-id", "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01"],
  ["upper-case hex", "00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01"],
  ["a short trace-id", "00-0af7651916cd43dd8448eb211c80319-b7ad6b7169203331-01"],
  ["a long parent-id", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331a-01"],
  ["a one-digit version", "0-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
  ["a three-digit flags field", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-011"],
  ["extra fields with version 00", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra"],
  ["non-hex characters", "00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01"],
  ["a missing field", "00-0af7651916cd43dd8448eb211c80319c-01"],
  ["wrong separators", "00_0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331_01"],
  ["CR/LF inside", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\nX-Injected: 1"],
  ["a 15 KB value", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-" + "f".repeat(15 * 1024)],
];
const BAD_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

function logText(): string {
  return captured.records().map((record) => JSON.stringify(record)).join("\n");
}

describe.each(BAD_IDS)("an inbound correlation ID with %s", (_label, value) => {
  test("runInFlow: a fresh 32-hex ID, never echoed in the logs", () => {
    const id = runInFlow({ correlationId: value as string }, () => entrypoint("inbound", () => currentFlowId())());
    expect(id).toMatch(HEX32);
    expect(logText()).not.toContain(MARK);
    expect(captured.records().every((record) => record.correlation_id === id)).toBe(true);
  });

  test("extractFlow from a record, a Map, and a getter: left out", () => {
    expect(extractFlow({ "x-correlation-id": value })).toEqual({});
    expect(extractFlow({ "X-Correlation-ID": value })).toEqual({});
    expect(extractFlow(new Map([["x-correlation-id", value]]))).toEqual({});
    expect(extractFlow({ get: () => value })).toEqual({});
  });
});

describe.each(BAD_TRACEPARENTS)("an invalid traceparent: %s", (_label, traceparent) => {
  test("runInFlow ignores it: a fresh ID, never the inbound trace ID, nothing logged raw", () => {
    const id = runInFlow({ traceparent, tracestate: "a=b" }, () => entrypoint("inbound_tp", () => currentFlowId())());
    expect(id).toMatch(HEX32);
    expect(id).not.toBe(BAD_TRACE_ID);
    expect(logText().toLowerCase()).not.toContain(BAD_TRACE_ID);
  });

  test("extractFlow leaves it out (a record, a Map, a Headers when representable)", () => {
    expect(extractFlow({ traceparent })).toEqual({});
    expect(extractFlow(new Map([["traceparent", traceparent]]))).toEqual({});
    if (!/[\r\n]/.test(traceparent)) expect(extractFlow(new Headers({ traceparent }))).toEqual({});
  });

  test("under OpenTelemetry too", async () => {
    const sdk = startOtelSdk({ w3cPropagator: true });
    try {
      configure("otel");
      expect(extractFlow({ traceparent })).toEqual({});
      const id = runInFlow({ traceparent }, () => entrypoint("inbound_otel", () => currentFlowId())());
      expect(id).toMatch(HEX32);
      expect(id).not.toBe(BAD_TRACE_ID);
    } finally {
      await sdk.shutdown();
    }
  });
});

describe("carriers that misbehave", () => {
  test.each<[string, unknown]>([
    ["a get() that throws", { get: () => { throw new Error("get"); } }],
    ["a get() returning an object", { get: () => ({}) }],
    ["a get() returning a number", { get: () => 42 }],
    ["a throwing property getter", Object.defineProperty({}, "x-correlation-id", { get: () => { throw new Error("getter"); }, enumerable: true })],
    ["a Proxy whose ownKeys throws", new Proxy({}, { ownKeys: () => { throw new Error("ownKeys"); } })],
    ["null", null],
    ["a string", "x-correlation-id: abc"],
    ["duplicate traceparent headers as an array", { traceparent: ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203332-01"] }],
  ])("extractFlow(%s) returns {} and never throws", (_label, carrier) => {
    expect(extractFlow(carrier)).toEqual({});
  });
});

describe("configure({ trustInbound: false })", () => {
  const VALID_TP = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  test("runInFlow ignores a valid correlationId and traceparent: a fresh ID", () => {
    configure({ trustInbound: false });
    const id = runInFlow({ correlationId: "abc-123", traceparent: VALID_TP, tracestate: "a=b" }, () => currentFlowId());
    expect(id).toMatch(HEX32);
    expect(id).not.toBe(BAD_TRACE_ID);
    expect(id).not.toBe("abc-123");
  });

  test("extractFlow returns {} for a valid carrier", () => {
    configure({ trustInbound: false });
    expect(extractFlow({ "x-correlation-id": "abc-123", traceparent: VALID_TP })).toEqual({});
  });

  test("inside an outer flow, runInFlow keeps the outer flow's ID", () => {
    configure({ trustInbound: false });
    const [outer, inner] = runInFlow({}, () => [currentFlowId(), runInFlow({ correlationId: "abc-123" }, () => currentFlowId())]);
    expect(inner).toBe(outer);
  });

  test("the default (and after resetPenstock) trusts valid inbound IDs", () => {
    expect(runInFlow({ correlationId: "abc-123" }, () => currentFlowId())).toBe("abc-123");
    configure({ trustInbound: false });
    resetPenstock();
    expect(runInFlow({ correlationId: "abc-123" }, () => currentFlowId())).toBe("abc-123");
  });

  test("a non-boolean is INVALID_ARGUMENT, and changes nothing", () => {
    expect(penstockErrorOf(() => configure({ trustInbound: "no" as never })).code).toBe("INVALID_ARGUMENT");
    expect(runInFlow({ correlationId: "abc-123" }, () => currentFlowId())).toBe("abc-123");
  });

  test("under OpenTelemetry an active span's trace is still kept (it is not inbound)", async () => {
    const sdk = startOtelSdk();
    try {
      configure({ backend: "otel", trustInbound: false });
      const [outer, inner] = entrypoint("span_kept", () => [currentFlowId(), runInFlow({ traceparent: VALID_TP }, () => currentFlowId())])();
      expect(inner).toBe(outer);
      expect(inner).not.toBe(BAD_TRACE_ID);
    } finally {
      await sdk.shutdown();
    }
  });
});
