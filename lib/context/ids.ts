// Correlation and span IDs: generation, and validation of IDs that arrive from outside.
import { randomFillSync } from "node:crypto";

// One random fill serves many IDs: a crypto call per ID would dominate a cheap step's cost.
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let poolOffset = POOL_BYTES;

// IDs are cut from a hex string of CHUNK_BYTES random bytes: one Buffer#toString("hex") per
// chunk, then one slice per ID (V8 makes a 16- or 32-character slice a view, not a copy).
// Building each ID from a byte table took ~90 ns (8-16 string concatenations); a slice costs
// ~25 ns. The chunk is small so that an ID kept for long keeps at most 256 characters alive.
const CHUNK_BYTES = 128;
let chunk = "";
let chunkStart = 0; // offset in `pool` of the chunk's first byte
let chunkOffset = CHUNK_BYTES; // bytes of the chunk already used

function nextChunk(): void {
  if (poolOffset + CHUNK_BYTES > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  chunk = pool.toString("hex", poolOffset, poolOffset + CHUNK_BYTES);
  chunkStart = poolOffset;
  poolOffset += CHUNK_BYTES;
  chunkOffset = 0;
}

/**
 * `bytes` random bytes as lower-case hex, never all zeros (OpenTelemetry's "invalid" ID). The
 * zero check is on the bytes, which are still in the pool.
 */
function randomHex(bytes: number): string {
  for (;;) {
    if (chunkOffset + bytes > CHUNK_BYTES) nextChunk();
    const start = chunkOffset;
    chunkOffset += bytes;
    let any = 0;
    for (let i = chunkStart + start, end = i + bytes; i < end; i++) any |= pool[i]!;
    if (any !== 0) return chunk.slice(start * 2, (start + bytes) * 2);
  }
}

/** A new correlation ID: 32 lower-case hex characters (128 random bits, a UUIDv4's worth), never all zeros. */
export function newCorrelationId(): string {
  return randomHex(16);
}

/**
 * `newCorrelationId()` as a flat string of its own, made from the pool directly rather than
 * cut from a chunk: a backend that writes the ID on every line of a flow call (pino escapes a
 * string character by character) reads a flat string faster than a slice, by more than the
 * slower making costs once per flow call from one step on (docs/performance.md, logging).
 */
export function newFlatCorrelationId(): string {
  for (;;) {
    if (poolOffset + 16 > POOL_BYTES) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const start = poolOffset;
    poolOffset += 16;
    let any = 0;
    for (let i = start; i < start + 16; i++) any |= pool[i]!;
    if (any !== 0) return pool.toString("hex", start, start + 16);
  }
}

// Span IDs are made on every step call, so they are built from halves: 256 random 8-hex
// "low" halves and 256 random "high" halves, refilled (from randomHex) every 65,536 IDs. ID
// number k of a batch is low[k % 256] + high[k / 256]: within a batch each pair of halves is
// used once and the halves of a table are distinct, so the IDs are distinct; batches are
// independent random draws. The half that changes on every call comes first, so consecutive
// IDs in a log look nothing alike. An ID costs two array reads and one concatenation: about a
// quarter of a slice of fresh random hex, which was a fifth of a no-op step call's time
// (docs/performance.md). Span IDs name calls in logs; they are not secrets.
const HALVES = 256;
const lowHalves: string[] = [];
const highHalves: string[] = [];
let spanIdsMade = HALVES * HALVES;

/** 256 distinct random 8-hex strings (randomHex never returns all zeros). */
function fillHalves(halves: string[]): void {
  const seen = new Set<string>();
  halves.length = 0;
  while (halves.length < HALVES) {
    const half = randomHex(4);
    if (!seen.has(half)) {
      seen.add(half);
      halves.push(half);
    }
  }
}

/** A new span ID: 16 lower-case hex characters, never all zeros (OpenTelemetry's invalid span ID). */
export function newSpanId(): string {
  if (spanIdsMade === HALVES * HALVES) {
    fillHalves(lowHalves);
    fillHalves(highHalves);
    spanIdsMade = 0;
  }
  const k = spanIdsMade++;
  return lowHalves[k & (HALVES - 1)]! + highHalves[k >>> 8]!;
}

/**
 * A span ID of 64 random bits (16 hex, never all zeros), drawn from the crypto pool: what
 * flowIdGenerator() gives the SDK, whose span IDs must be as random as its own generator's.
 */
export function newRandomSpanId(): string {
  return randomHex(8);
}

const INBOUND_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * True when an ID that came from outside (a header, a job, runInFlow) is safe to adopt:
 * 1 to 128 characters of `[A-Za-z0-9._:-]`. Anything else must be replaced, never echoed.
 */
// The last ID found valid: a root call under an active span asks again for the same trace ID.
let lastValid: string | undefined;

export function isValidCorrelationId(value: unknown): value is string {
  if (value === lastValid && value !== undefined) return true;
  if (typeof value !== "string" || !INBOUND_ID.test(value)) return false;
  lastValid = value;
  return true;
}

const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * True for a W3C / OpenTelemetry trace ID: 32 lower-case hex characters, not all zeros. Under
 * the OpenTelemetry backend only such an ID can be a flow's correlation ID (it is the trace ID).
 */
export function isTraceId(value: unknown): value is string {
  return typeof value === "string" && TRACE_ID.test(value) && value !== "00000000000000000000000000000000";
}
