// W3C Trace Context (https://www.w3.org/TR/trace-context/): parsing and writing `traceparent`
// and `tracestate` without OpenTelemetry, so every backend can continue an inbound trace.
// Inbound values are untrusted: anything invalid is dropped, never repaired or echoed.

/** A parsed, valid `traceparent`. */
export interface TraceParent {
  readonly traceId: string;
  readonly spanId: string;
  /** The trace-flags byte; bit 0 is "sampled". */
  readonly flags: number;
}

// version "-" trace-id "-" parent-id "-" trace-flags, lower-case hex only; a future version may
// append "-" and more fields, which are ignored.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);
// No valid header of any version needs more; longer input is rejected before the regex runs.
const MAX_HEADER_LENGTH = 512;
const MAX_TRACESTATE_MEMBERS = 32;
const TRACESTATE_KEY = /^(?:[a-z0-9][_0-9a-z*/-]{0,255}|[a-z0-9][_0-9a-z*/-]{0,240}@[a-z][_0-9a-z*/-]{0,13})$/;
// Printable ASCII except "," and "=", not ending in a space.
const TRACESTATE_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/** Optional whitespace around an HTTP field value (spaces and tabs) is allowed, nothing else. */
function trimOws(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, "");
}

/** The parsed `traceparent`, or undefined when it is not valid per the W3C rules. */
export function parseTraceparent(value: unknown): TraceParent | undefined {
  if (typeof value !== "string" || value.length > MAX_HEADER_LENGTH) return undefined;
  const match = TRACEPARENT.exec(trimOws(value));
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  if (version === "ff") return undefined;
  // Version 00 has exactly four fields; only later versions may carry more.
  if (version === "00" && rest !== undefined) return undefined;
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return undefined;
  return { traceId, spanId, flags: parseInt(flags, 16) };
}

/** A version-00 `traceparent` for the given span context. */
export function formatTraceparent(parent: TraceParent): string {
  return `00-${parent.traceId}-${parent.spanId}-${(parent.flags & 0xff).toString(16).padStart(2, "0")}`;
}

/**
 * The `tracestate` normalised (members joined by ","), or undefined when it is invalid as a
 * whole: a malformed member, a duplicate key, or more than 32 members. The W3C spec lets a
 * receiver discard an invalid `tracestate`; the `traceparent` is still used.
 */
export function parseTracestate(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > MAX_HEADER_LENGTH) return undefined;
  const members: string[] = [];
  const keys = new Set<string>();
  for (const raw of value.split(",")) {
    const member = trimOws(raw);
    if (member === "") continue;
    const equals = member.indexOf("=");
    if (equals <= 0) return undefined;
    const key = member.slice(0, equals);
    const memberValue = member.slice(equals + 1);
    if (!TRACESTATE_KEY.test(key) || !TRACESTATE_VALUE.test(memberValue) || keys.has(key)) return undefined;
    keys.add(key);
    members.push(member);
  }
  if (members.length === 0 || members.length > MAX_TRACESTATE_MEMBERS) return undefined;
  return members.join(",");
}
