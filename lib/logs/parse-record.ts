// One log line to one penstock record: the fields the logging backend writes (lib/backends/
// logging.ts), or the reason the line is skipped. Any pino output can hold other lines.
import type { TraceOutcome } from "./trace";

/** A `step.start` or `step.end` record, as the logging backend writes it. */
export interface StepRecordLine {
  readonly event: "start" | "end";
  readonly flow: string;
  readonly step: string;
  readonly kind: "entrypoint" | "step";
  readonly correlationId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  /** Epoch milliseconds; `undefined` when the logger wrote no time (pino's `timestamp: false`). */
  readonly time: number | undefined;
  /** The time it is ordered by: `time`, or the previous record's when it has none (set by the reader). */
  at: number;
  /** `step.end` only. */
  readonly durationMs: number | undefined;
  readonly outcome: Exclude<TraceOutcome, "unfinished"> | undefined;
  readonly error: string | undefined;
}

/** Why a line was not used; the keys of `LogSummary.skipped`. */
export type SkipReason = "not JSON" | "not penstock" | "malformed";

/** Names longer than this are not penstock's (the registry keeps names short): the line is malformed. */
export const MAX_NAME_LENGTH = 1024;
/** An error message is kept up to this many characters (a 1 MB message must not be held per flow call). */
export const MAX_ERROR_LENGTH = 4096;

/** What ends a message cut at {@link MAX_ERROR_LENGTH}: how long it was (terminalText reads it back). */
export const cutMark = (length: number): string => `… (${length} characters in all)`;

const OUTCOMES = new Set(["ok", "error", "expected", "abandoned"]);

function isName(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_NAME_LENGTH;
}

/**
 * pino's `time`: epoch milliseconds by default, seconds with `stdTimeFunctions.unixTime`, an
 * ISO 8601 string with `stdTimeFunctions.isoTime`.
 */
export function timeOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value === "string") {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

function errorText(record: Record<string, unknown>): string | undefined {
  // `err` (pino's error serializer: type, message, stack) for errors, `error` ({ name, message }) for expected ones.
  const value = record.err ?? record.error;
  if (value === undefined || value === null) return undefined;
  let text: string;
  if (typeof value === "object") {
    const { message, type, name } = value as { message?: unknown; type?: unknown; name?: unknown };
    text = typeof message === "string" && message !== "" ? message : typeof type === "string" ? type : typeof name === "string" ? name : JSON.stringify(value);
  } else {
    text = String(value);
  }
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}${cutMark(text.length)}` : text;
}

/** The record a parsed JSON object holds, or why it is not one. */
export function recordOf(record: unknown): StepRecordLine | SkipReason {
  if (record === null || typeof record !== "object" || Array.isArray(record)) return "not penstock";
  const fields = record as Record<string, unknown>;
  const { msg } = fields;
  // A custom pino messageKey moves `msg`: then the end is told by its outcome.
  const event = msg === "step.start" ? "start" : msg === "step.end" ? "end" : msg === undefined && typeof fields.correlation_id === "string" && typeof fields.step === "string" ? (fields.outcome === undefined ? "start" : "end") : undefined;
  if (event === undefined) return "not penstock";
  const { flow, step, kind, correlation_id: correlationId, span_id: spanId, parent_span_id: parentSpanId } = fields;
  if (!isName(flow) || !isName(step) || !isName(correlationId) || !isName(spanId)) return "malformed";
  if (kind !== "entrypoint" && kind !== "step") return "malformed";
  if (parentSpanId !== undefined && parentSpanId !== null && !isName(parentSpanId)) return "malformed";
  let durationMs: number | undefined;
  let outcome: StepRecordLine["outcome"];
  if (event === "end") {
    if (typeof fields.duration_ms !== "number" || !(fields.duration_ms >= 0)) return "malformed";
    if (typeof fields.outcome !== "string" || !OUTCOMES.has(fields.outcome)) return "malformed";
    durationMs = fields.duration_ms;
    outcome = fields.outcome as StepRecordLine["outcome"];
  }
  return {
    event,
    flow,
    step,
    kind,
    correlationId,
    spanId,
    parentSpanId: typeof parentSpanId === "string" ? parentSpanId : undefined,
    time: timeOf(fields.time),
    at: 0,
    durationMs,
    outcome,
    error: outcome === "error" || outcome === "expected" ? errorText(fields) : undefined,
  };
}

/**
 * The penstock record of `line`, or why it is skipped. A prefix before the JSON object (the
 * timestamp of `docker logs -t`, the pod of `kubectl logs --prefix`) is passed over. Lines
 * that cannot be penstock's are told apart before any JSON is parsed.
 *
 * @example
 * parseLine('{"level":30,"time":1764612000000,"flow":"orders",...,"msg":"step.start"}')
 * // { event: "start", flow: "orders", step: "place_order", ... }
 */
export function parseLine(line: string): StepRecordLine | SkipReason {
  const start = line.indexOf("{");
  if (start < 0) return "not JSON";
  // Every penstock record carries span_id: the rest need no parse to be counted.
  if (!line.includes('"span_id"')) return line.trimEnd().endsWith("}") ? "not penstock" : "not JSON";
  let parsed: unknown;
  try {
    parsed = JSON.parse(start === 0 ? line : line.slice(start));
  } catch {
    return "malformed";
  }
  return recordOf(parsed);
}
