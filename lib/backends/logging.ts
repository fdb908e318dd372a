// The default backend: `step.start` / `step.end` records through pino.
import type { Level, Logger } from "pino";
import { z } from "zod";
import { EMPTY_ATTRIBUTES } from "../call/attributes";
import { isAbandonedIteration } from "../call/iteration";
import { describeExpected, isExpectedError } from "../call/expected";
import { inboundCorrelationId } from "../context/inbound-id";
import { parseOrThrow } from "../internal/parse-or-throw";
import type { Backend, SpanInfo } from "../types";
import { reportFault } from "../config/faults";
import { isNativePromise, isThenable } from "../internal/thenable";
import { NO_ERROR, settleInPlace } from "./settle";
import { trustBackend, withDirectSpan, type DirectCall } from "./trusted";
import { defaultLogger } from "./default-logger";
import { flushLogger } from "./flush-logger";
import { backendSettled, backendWatches } from "../observations/observe";

/** Options of {@link loggingBackend}. */
export interface LoggingBackendOptions {
  /**
   * The pino logger to write to. Default: `pino({ name: "penstock" })` on stdout, written
   * synchronously, one per process (lib/backends/default-logger.ts).
   */
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
  const { logger = defaultLogger(), level = "info" } = parseOrThrow(optionsSchema, options ?? {}, "loggingBackend() options");

  function fields(info: SpanInfo): Record<string, unknown> {
    const own: Record<string, unknown> = {
      flow: info.flow,
      step: info.step,
      kind: info.kind,
      correlation_id: info.correlationId,
      span_id: info.spanId,
      parent_span_id: info.parentSpanId,
    };
    if (info.kind === "entrypoint") {
      const inbound = inboundCorrelationId();
      if (inbound !== undefined) own.inbound_correlation_id = inbound;
    }
    // A step without attributes (the common case) shares one frozen empty object: the literal
    // alone, with no loop over it.
    return info.attributes === EMPTY_ATTRIBUTES ? own : withAttributes(info.attributes, own);
  }

  // `error` is NO_ERROR on success (settleInPlace's convention): no outcome record per call.
  function end(info: SpanInfo, started: number, error: unknown): void {
    const record = fields(info);
    // Two decimals; performance.now() is monotonic, unlike Date.now().
    record.duration_ms = Math.round((performance.now() - started) * 100) / 100;
    if (error === NO_ERROR) {
      record.outcome = "ok";
      logger[level](record, "step.end");
    } else if (isAbandonedIteration(error)) {
      // A generator's iterator dropped unfinished and collected (lib/call/iteration.ts).
      record.outcome = "abandoned";
      logger.warn(record, "step.end");
    } else if (isExpectedError(info, error)) {
      // Part of normal operation (the step's `expected` option, configure({ expected })): no stack.
      record.outcome = "expected";
      record.error = describeExpected(error);
      logger.warn(record, "step.end");
    } else {
      record.outcome = "error";
      record.err = error;
      logger.error(record, "step.end");
    }
  }

  // The backend guards its own faults (it is trusted, lib/backends/trusted.ts): a logger that
  // throws is reported, and the call goes on as if nothing had been written.
  function endSafely(info: SpanInfo, started: number, error: unknown): void {
    try {
      end(info, started, error);
    } catch (fault) {
      // Near the stack limit the report's own call can overflow: the fault is then dropped.
      try {
        reportFault("span-threw", fault, info);
      } catch {}
    }
  }

  // When a call writes nothing (its level and error both off), it costs no record. pino's
  // isLevelEnabled costs some 50 ns, so the answer is kept until the logger's documented
  // 'level-change' event says its level changed; a pino-like logger without events is asked
  // on every call.
  const levels = levelChanges(logger);
  let seenChange = -1;
  let writes = false;
  function willWrite(): boolean {
    if (levels === undefined) return logger.isLevelEnabled(level) || logger.isLevelEnabled("error");
    if (levels.count !== seenChange) {
      writes = logger.isLevelEnabled(level) || logger.isLevelEnabled("error");
      seenChange = levels.count;
    }
    return writes;
  }

  /** Writes `step.start` and returns the start time, or -1 when nothing is written. */
  function start(info: SpanInfo): number {
    try {
      if (!willWrite()) return -1;
      logger[level](fields(info), "step.start");
    } catch (fault) {
      try {
        reportFault("span-threw", fault, info);
      } catch {}
      return -1;
    }
    return performance.now();
  }

  // The span, calling the function itself (the wrapper's direct path, lib/backends/trusted.ts).
  function direct(call: DirectCall): unknown {
    const { info, fn, thisArg, args } = call;
    const started = start(info);
    if (started < 0) return fn.apply(thisArg, args);
    let result;
    try {
      result = fn.apply(thisArg, args);
    } catch (error) {
      endSafely(info, started, error);
      throw error;
    }
    try {
      // A plain value is logged here, without a callback (one closure per call).
      if (!isThenable(result)) endSafely(info, started, NO_ERROR);
      // The function's own promise is returned, its two handlers made here: with thousands
      // of calls in flight, every closure kept alive per pending call is work for the GC.
      else if (isNativePromise(result)) {
        // Its two handlers also report the end to penstock's observations (one reaction, not two).
        backendWatches();
        result.then(
          () => {
            backendSettled(false);
            endSafely(info, started, NO_ERROR);
          },
          (error: unknown) => {
            backendSettled(true, error);
            endSafely(info, started, error);
          },
        );
      }
      else settleInPlace(result, info, (error) => end(info, started, error));
    } catch (fault) {
      try {
        reportFault("span-threw", fault, info);
      } catch {}
    }
    return result;
  }

  const backend = trustBackend({
    name: "logging",
    span: (info: SpanInfo, run: () => unknown) => direct({ info, fn: run, thisArg: undefined, args: NO_ARGS }),
    // No ID of its own: the flow's is penstock's.
    getCorrelationId: () => undefined,
    flush: () => flushLogger(logger),
  } as Backend);
  return withDirectSpan(backend, direct);
}

const NO_ARGS: unknown[] = [];

/**
 * A record with attributes: attributes first, so penstock's own fields win a name clash. An empty
 * object still gives the literal alone: spreading even an empty object costs a clone per record.
 */
function withAttributes(attributes: SpanInfo["attributes"], own: Record<string, unknown>): Record<string, unknown> {
  for (const _ in attributes) return { ...attributes, ...own };
  return own;
}

/** Counts a pino logger's level changes, through one 'level-change' listener per logger. */
const levelCounters = new WeakMap<Logger, { count: number }>();

function levelChanges(logger: Logger): { count: number } | undefined {
  if (typeof (logger as { on?: unknown }).on !== "function") return undefined;
  let counter = levelCounters.get(logger);
  if (counter === undefined) {
    const created = { count: 0 };
    logger.on("level-change", () => {
      created.count++;
    });
    levelCounters.set(logger, (counter = created));
  }
  return counter;
}
