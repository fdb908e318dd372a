// Correlation and span IDs: generation, and validation of IDs that arrive from outside.
import { randomFillSync } from "node:crypto";

// One random fill serves many IDs: a crypto call per ID would dominate a cheap step's cost.
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

// Table lookups beat Buffer#toString("hex"), whose per-call setup dominates for 8 or 16 bytes.
const HEX_BYTE = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/**
 * `bytes` random bytes as lower-case hex, never all zeros (OpenTelemetry's "invalid" ID). The
 * zero check is on the bytes: comparing the built string would flatten it, a copy per call.
 */
function randomHex(bytes: number): string {
  for (;;) {
    if (offset + bytes > POOL_BYTES) {
      randomFillSync(pool);
      offset = 0;
    }
    let hex = "";
    let any = 0;
    for (let end = offset + bytes; offset < end; offset++) {
      const byte = pool[offset]!;
      any |= byte;
      hex += HEX_BYTE[byte];
    }
    if (any !== 0) return hex;
  }
}

/** A new correlation ID: 32 lower-case hex characters (128 random bits, a UUIDv4's worth), never all zeros. */
export function newCorrelationId(): string {
  return randomHex(16);
}

/** A new span ID: 16 lower-case hex characters, never all zeros (OpenTelemetry's invalid span ID). */
export function newSpanId(): string {
  return randomHex(8);
}

const INBOUND_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * True when an ID that came from outside (a header, a job, runInFlow) is safe to adopt:
 * 1 to 128 characters of `[A-Za-z0-9._:-]`. Anything else must be replaced, never echoed.
 */
export function isValidCorrelationId(value: unknown): value is string {
  return typeof value === "string" && INBOUND_ID.test(value);
}

const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * True for a W3C / OpenTelemetry trace ID: 32 lower-case hex characters, not all zeros. Under
 * the OpenTelemetry backend only such an ID can be a flow's correlation ID (it is the trace ID).
 */
export function isTraceId(value: unknown): value is string {
  return typeof value === "string" && TRACE_ID.test(value) && value !== "00000000000000000000000000000000";
}
