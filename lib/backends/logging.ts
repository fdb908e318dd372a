// The default backend: `step.start` / `step.end` records through pino.
import pino, { type Level, type Logger } from "pino";
import { z } from "zod";
import { currentFrame } from "../context/current-frame";
import { isAbandonedIteration } from "../call/iteration";
import { parseOrThrow } from "../internal/parse-or-throw";
import type { Backend, SpanInfo } from "../types";
import { reportFault } from "../config/faults";
import { isNativePromise, isThenable, NO_ERROR, settleInPlace } from "./settle";

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
    const own = {
      flow: info.flow,
      step: info.step,
      kind: info.kind,
      correlation_id: info.correlationId,
      span_id: info.spanId,
      parent_span_id: info.parentSpanId,
    };
    // Without attributes (the common case) the literal alone: spreading even an empty object
    // costs a clone per record. With them, attributes first, so penstock's own fields win a
    // name clash.
    for (const _ in info.attributes) return { ...info.attributes, ...own };
    return own;
  }

  // `error` is NO_ERROR on success (settleInPlace's convention): no outcome record per call.
  function end(info: SpanInfo, started: number, error: unknown): void {
    const record = fields(info);
    // Two decimals, as the Python version; performance.now() is monotonic, unlike Date.now().
    record.duration_ms = Math.round((performance.now() - started) * 100) / 100;
    if (error === NO_ERROR) {
      record.outcome = "ok";
      logger[level](record, "step.end");
    } else if (isAbandonedIteration(error)) {
      // A generator's iterator dropped unfinished and collected (lib/iteration.ts).
      record.outcome = "abandoned";
      logger.warn(record, "step.end");
    } else {
      record.outcome = "error";
      record.err = error;
      logger.error(record, "step.end");
    }
  }

  // After the promise settled, nothing may throw: the promise `then` derived must fulfil.
  function endQuietly(info: SpanInfo, started: number, error: unknown): void {
    try {
      end(info, started, error);
    } catch (fault) {
      reportFault("span-rejected", fault, info);
    }
  }

  // Whether a call writes anything: its level or, for failures, error. pino's isLevelEnabled
  // costs some 50 ns, per call; but pino replaces a level's method (by a no-op while the level
  // is off) whenever the logger's level changes, so the answer is kept until either method is
  // another function. A logger without isLevelEnabled throws here, as it did per call.
  let seenLevelMethod: unknown;
  let seenErrorMethod: unknown;
  let writes = false;
  function willWrite(): boolean {
    const levelMethod = logger[level];
    const errorMethod = logger.error;
    if (levelMethod !== seenLevelMethod || errorMethod !== seenErrorMethod) {
      writes = logger.isLevelEnabled(level) || logger.isLevelEnabled("error");
      seenLevelMethod = levelMethod;
      seenErrorMethod = errorMethod;
    }
    return writes;
  }

  return {
    name: "logging",
    span(info, run) {
      if (!willWrite()) return run();
      logger[level](fields(info), "step.start");
      const started = performance.now();
      let result;
      try {
        result = run();
      } catch (error) {
        end(info, started, error);
        throw error;
      }
      // A plain value is logged here, without settle()'s callback (one closure per call).
      if (!isThenable(result)) {
        end(info, started, NO_ERROR);
        return result;
      }
      // The function's own promise is returned (see settleInPlace), and its two handlers are
      // made here: with thousands of calls in flight, every closure and context kept alive
      // per pending call is work for the garbage collector.
      if (!isNativePromise(result)) return settleInPlace(result, info, (error) => end(info, started, error));
      result.then(
        () => endQuietly(info, started, NO_ERROR),
        (error: unknown) => endQuietly(info, started, error),
      );
      return result;
    },
    getCorrelationId: () => currentFrame()?.correlationId,
  };
}
