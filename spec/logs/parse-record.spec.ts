// One line to one record, and text from the logs made safe for a terminal.
import { parseLine, timeOf } from "../../lib/logs/parse-record";
import { terminalText } from "../../lib/logs/terminal-text";

const START = { level: 30, time: 1767225600000, flow: "orders", step: "place_order", kind: "entrypoint", correlation_id: "c1", span_id: "s1", msg: "step.start" };

describe("parseLine", () => {
  test("a step.start and a step.end as the logging backend writes them", () => {
    expect(parseLine(JSON.stringify(START))).toEqual({
      event: "start", flow: "orders", step: "place_order", kind: "entrypoint", correlationId: "c1", spanId: "s1", parentSpanId: undefined,
      time: 1767225600000, at: 0, durationMs: undefined, outcome: undefined, error: undefined,
    });
    const end = { ...START, kind: "step", parent_span_id: "s0", duration_ms: 1.25, outcome: "error", err: { type: "TypeError", message: "bad", stack: "..." }, msg: "step.end" };
    expect(parseLine(JSON.stringify(end))).toMatchObject({ event: "end", parentSpanId: "s0", durationMs: 1.25, outcome: "error", error: "bad" });
    // An expected error: `error` ({ name, message }) at level warn.
    expect(parseLine(JSON.stringify({ ...end, outcome: "expected", err: undefined, error: { name: "NotFound", message: "no such user" } }))).toMatchObject({ outcome: "expected", error: "no such user" });
  });

  test("why a line is skipped", () => {
    expect(parseLine("GET /health 200")).toBe("not JSON");
    expect(parseLine('{"level":30,"msg":"listening"}')).toBe("not penstock");
    expect(parseLine('{"span_id":"s1", "msg": "step.start"')).toBe("malformed");
    expect(parseLine(JSON.stringify({ ...START, kind: "job" }))).toBe("malformed");
    expect(parseLine(JSON.stringify({ ...START, step: "x".repeat(2000) }))).toBe("malformed");
    expect(parseLine(JSON.stringify({ ...START, msg: "step.end", duration_ms: -1, outcome: "ok" }))).toBe("malformed");
    // OpenTelemetry's pino instrumentation puts span_id on the app's own lines too.
    expect(parseLine('{"level":30,"span_id":"ab","trace_id":"cd","msg":"charging"}')).toBe("not penstock");
  });

  test("a 1 MB message is kept cut, saying how long it was", () => {
    const end = { ...START, duration_ms: 1, outcome: "error", err: { message: "m".repeat(1 << 20) }, msg: "step.end" };
    const parsed = parseLine(JSON.stringify(end));
    expect(typeof parsed === "object" && parsed.error).toMatch(/^m{4096}… \(1048576 characters in all\)$/);
  });

  test("pino's time formats", () => {
    expect(timeOf(1767225600123)).toBe(1767225600123);
    expect(timeOf(1767225600)).toBe(1767225600000);
    expect(timeOf("2026-01-01T00:00:00.123Z")).toBe(1767225600123);
    expect(timeOf("yesterday")).toBeUndefined();
    expect(timeOf(undefined)).toBeUndefined();
  });
});

describe("terminalText", () => {
  test("control characters, bidirectional overrides and separators become escapes; HTML stays text", () => {
    expect(terminalText("\u001b[31mred\u001b[0m\r\n\t\u0000\u009b\u202e\u2028")).toBe("\\x1b[31mred\\x1b[0m\\r\\n\\t\\x00\\x9b\\u202e\\u2028");
    expect(terminalText("</script><b>")).toBe("</script><b>");
  });

  test("a long field is cut, with the count of what is left out", () => {
    expect(terminalText("abcdef", 3)).toBe("abc… (3 more characters)");
    expect(terminalText(`${"m".repeat(4096)}… (1048576 characters in all)`, 10)).toBe("mmmmmmmmmm… (1048566 more characters)");
  });
});
