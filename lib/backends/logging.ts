// The default backend: `step.start` / `step.end` records through pino.
import pino, { type Level, type Logger } from "pino";
import { z } from "zod";
import { currentFrame } from "../storage";
import { isAbandonedIteration } from "../iteration";
import { parseOrThrow } from "../validation";
import type { Backend, SpanInfo } from "../types";
import { settle, type SpanOutcome } from "./settle";

/** Options of {@link loggingBackend}. */
export interface LoggingBackendOptions {
  /** The pino logger to write to. Default: `pino({ name: "penstock" })` on stdout. */
  readonly logger?: Logger;
  /** Level of `step.start` and successful `step.end` records. Default `"info"`; failures are always `"error"`. */
  readonly level?: Level;
}

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;

export const loggerSchema = z.custom<Logger>(
  (value) =>
    value !== null &&
    typeof value === "object" &&
    LEVELS.every((level) => typeof (value as Record<string, unknown>)[level] === "function"),
  { message: "must be a pino logger (an object with info(), error() and the other level methods)" },
);

const optionsSchema = z.strictObject({
  logger: loggerSchema.optional(),
  level: z.enum(LEVELS).optional(),
});

/**
 * A backend that writes two pino records per call: `step.start`, then `step.end` with
 * `duration_ms` and `outcome` (`"error"` records carry the error under `err`, at level error).
 *
 * @example
 * configure(loggingBackend({ logger: pino({ level: "debug" }), level: "debug" }));
 */
export function loggingBackend(options: LoggingBackendOptions = {}): Backend {
  const { logger = pino({ name: "penstock" }), level = "info" } = parseOrThrow(optionsSchema, options ?? {}, "loggingBackend() options");

  function fields(info: SpanInfo): Record<string, unknown> {
    // Attributes first, so penstock's own fields win a name clash.
    return {
      ...info.attributes,
      flow: info.flow,
      step: info.step,
      kind: info.kind,
      correlation_id: info.correlationId,
      span_id: info.spanId,
      parent_span_id: info.parentSpanId,
    };
  }

  function end(info: SpanInfo, started: number, outcome: SpanOutcome): void {
    const record = fields(info);
    // Two decimals, as the Python version; performance.now() is monotonic, unlike Date.now().
    record.duration_ms = Math.round((performance.now() - started) * 100) / 100;
    if (outcome.ok) {
      record.outcome = "ok";
      logger[level](record, "step.end");
    } else if (isAbandonedIteration(outcome.error)) {
      // A generator's iterator dropped unfinished and collected (lib/iteration.ts).
      record.outcome = "abandoned";
      logger.warn(record, "step.end");
    } else {
      record.outcome = "error";
      record.err = outcome.error;
      logger.error(record, "step.end");
    }
  }

  return {
    name: "logging",
    span(info, run) {
      if (!logger.isLevelEnabled(level) && !logger.isLevelEnabled("error")) return run();
      logger[level](fields(info), "step.start");
      const started = performance.now();
      let result;
      try {
        result = run();
      } catch (error) {
        end(info, started, { ok: false, error });
        throw error;
      }
      return settle(result, (outcome) => end(info, started, outcome));
    },
    getCorrelationId: () => currentFrame()?.correlationId,
  };
}
