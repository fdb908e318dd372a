// configure() and getBackend(): which backend traces the calls, and how faults are handled.
import type { Logger } from "pino";
import { z } from "zod";
import { PenstockError } from "../errors";
import { reportFault } from "./faults";
import { loggingBackend, loggerSchema } from "../backends/logging";
import { otelBackend, tracerSchema, type TracerLike } from "../otel/otel-backend";
import { hasRealTracerProvider, resolveOtelApi } from "../otel/otel-api";
import { warnIfSentryWithoutOtel } from "../otel/otel-warnings";
import { parseOrThrow } from "../internal/parse-or-throw";
import { combineBackends } from "../backends/combine";
import { misconfiguredBackend } from "./misconfigured";
import { config, type BackendChoice, type BackendEntry } from "./state";
import type { Backend, SpanInfo } from "../types";


/** Options of {@link configure}. Fields left out keep their current value. */
export interface ConfigureOptions {
  /**
   * `"auto"` (default), `"logging"`, `"otel"`, your own backend record, or a list of them to
   * run together with one ID (`["otel", "logging"]`: spans and step logs; see combineBackends).
   */
  readonly backend?: "auto" | BackendEntry | readonly BackendEntry[];
  /** The pino logger of the logging backend (also when auto-detection picks it). */
  readonly logger?: Logger;
  /** The OpenTelemetry tracer of the otel backend. */
  readonly tracer?: TracerLike;
  /** Whether a step called outside a flow throws `OUTSIDE_FLOW` (default `true`) or runs untraced. */
  readonly strict?: boolean;
  /**
   * Whether inbound IDs are adopted (default `true`): `runInFlow`'s `correlationId`,
   * `traceparent` and `tracestate`, and what `extractFlow` reads. `false` for a public edge:
   * `runInFlow` ignores them (a fresh ID, or the outer flow's) and `extractFlow` returns `{}`.
   */
  readonly trustInbound?: boolean;
  /** Receives backend faults. Default: one process warning per kind of fault. */
  readonly onError?: (error: unknown, info?: SpanInfo) => void;
  /**
   * Whether penstock observes calls (default `true`): the order and call edges behind `diffDag`
   * and the statistics of `flowStats`. `false` turns both off; what was seen is kept.
   */
  readonly observe?: boolean;
  /**
   * Which errors of any step are part of normal operation (a validation failure, a 404): still
   * rethrown unchanged, but logged at `warn` with `outcome: "expected"` (name and message, no
   * stack) and left with status UNSET on the OpenTelemetry span. A step's own `expected` option
   * adds to it.
   */
  readonly expected?: (error: unknown) => boolean;
}

const BACKEND_NAMES = ["auto", "logging", "otel"] as const;
const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === "function", { message: "must be a function" });

const backendSchema = z.looseObject({
  name: z.string({ message: "must be a string when given" }).optional(),
  span: z.custom((value) => typeof value === "function", { message: "must be a function: span(info, run) calls run() once and returns its result" }),
  getCorrelationId: z.custom((value) => typeof value === "function", {
    message: "must be a function returning the current correlation ID, or undefined",
  }),
  flush: z.custom((value) => typeof value === "function", { message: "must be a function returning a promise when given" }).optional(),
  getSpanId: z.custom((value) => typeof value === "function", { message: "must be a function returning the current span ID, or undefined, when given" }).optional(),
  flowScope: z
    .custom(
      (value) =>
        value !== null &&
        typeof value === "object" &&
        ["acceptId", "enter", "inject", "extract"].every((method) => typeof (value as Record<string, unknown>)[method] === "function"),
      { message: "must be an object with acceptId(), enter(), inject() and extract() when given (see FlowScope)" },
    )
    .optional(),
});

const optionsSchema = z.strictObject({
  backend: z.unknown().optional(),
  logger: loggerSchema.optional(),
  tracer: tracerSchema.optional(),
  strict: z.boolean({ message: "must be true or false" }).optional(),
  trustInbound: z.boolean({ message: "must be true or false" }).optional(),
  onError: fn.optional(),
  observe: z.boolean({ message: "must be true or false" }).optional(),
  expected: fn.optional(),
});

function parseBackend(value: unknown, what: string): BackendChoice {
  if (Array.isArray(value)) {
    if (value.length === 0) throw new PenstockError("INVALID_BACKEND", `${what} is an empty list; name at least one backend, such as ["otel", "logging"].`);
    return value.map((entry, index) => {
      if (entry === "auto") throw new PenstockError("INVALID_BACKEND", `${what}[${index}] is "auto", which cannot be combined; name the backends: ["otel", "logging"].`);
      return parseBackend(entry, `${what}[${index}]`) as BackendEntry;
    });
  }
  const mistake = misconfiguredBackend(value, what);
  if (mistake !== undefined) throw mistake;
  if (typeof value === "string") {
    if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendChoice;
    throw new PenstockError(
      "UNKNOWN_BACKEND",
      `${what} is "${value}", which is not a backend penstock knows. Use "auto", "logging", "otel", or pass a backend record { span, getCorrelationId }.`,
    );
  }
  if (value === null || typeof value !== "object") {
    throw new PenstockError(
      "INVALID_BACKEND",
      `${what} must be "auto", "logging", "otel" or a backend record { span, getCorrelationId }, not ${value === null ? "null" : typeof value}.`,
    );
  }
  parseOrThrow(backendSchema, value, what, "INVALID_BACKEND");
  // The record itself, not zod's copy: a backend may keep state on itself (or be a class instance).
  return value as Backend;
}

function looksLikeBackend(value: object): boolean {
  return "span" in value || "getCorrelationId" in value;
}

/**
 * Chooses the tracing backend and how faults are handled. Validates everything at once;
 * fields left out keep their current value. Takes effect for the next call.
 *
 * @example
 * configure("logging");
 * configure({ backend: "otel", strict: false, onError: (error) => metrics.increment("penstock.fault") });
 * configure({ span: (info, run) => run(), getCorrelationId: () => undefined });
 */
export function configure(backend: "auto" | BackendEntry | readonly BackendEntry[]): void;
export function configure(options: ConfigureOptions): void;
export function configure(input: "auto" | BackendEntry | readonly BackendEntry[] | ConfigureOptions): void {
  const shorthand = typeof input === "string" || input === null || typeof input !== "object" || Array.isArray(input) || looksLikeBackend(input);
  if (!shorthand) {
    const mistake = misconfiguredBackend(input, "configure()'s argument");
    if (mistake !== undefined) throw mistake;
  }
  const options: ConfigureOptions = shorthand ? {} : (parseOrThrow(optionsSchema, input, "configure(options)") as ConfigureOptions);
  const choice = shorthand
    ? parseBackend(input, "configure(backend)")
    : options.backend === undefined
      ? config.backendChoice
      : parseBackend(options.backend, "configure(options).backend");
  const logger = options.logger ?? config.logger;
  const tracer = options.tracer ?? config.tracer;
  // An explicit choice is built now, so that configure("otel") without OpenTelemetry fails
  // here rather than at the first traced call; "auto" waits for first use, when an SDK may be
  // up. Everything is built before anything is changed: a rejected call changes nothing.
  const resolved = choice === "auto" ? undefined : resolve(choice, logger, tracer);
  config.backendChoice = choice;
  config.logger = logger;
  config.tracer = tracer;
  if (options.strict !== undefined) config.strict = options.strict;
  if (options.trustInbound !== undefined) config.trustInbound = options.trustInbound;
  if (options.onError !== undefined) config.onError = options.onError;
  if (options.observe !== undefined) config.observe = options.observe;
  if (options.expected !== undefined) config.expected = options.expected;
  config.resolved = resolved;
}

function resolve(choice: BackendChoice, logger: Logger | undefined, tracer: unknown): Backend {
  if (Array.isArray(choice)) return combineBackends(...choice.map((entry: BackendEntry) => resolve(entry, logger, tracer)));
  switch (choice) {
    case "auto": {
      const otel = detectOtel(tracer);
      if (otel === undefined) return loggingBackend({ logger });
      // A logger given to configure() keeps its step logs when OpenTelemetry is found: both run, with one ID.
      return logger === undefined ? otel : combineBackends(otel, loggingBackend({ logger }));
    }
    case "logging":
      return loggingBackend({ logger });
    case "otel":
      return otelBackend({ tracer: tracer as TracerLike | undefined });
    default:
      return choice as Backend;
  }
}

/**
 * The OpenTelemetry backend when its API loads and an SDK is registered (or a tracer was
 * given), else undefined. Runs at a user's first traced call: whatever the installed API
 * does, it never throws (a fault is reported and logging is used).
 */
function detectOtel(tracer: unknown): Backend | undefined {
  try {
    if (tracer !== undefined) return otelBackend({ tracer: tracer as TracerLike });
    const api = resolveOtelApi();
    if (api === undefined || !hasRealTracerProvider(api)) {
      warnIfSentryWithoutOtel();
      return undefined;
    }
    return otelBackend({ tracer: tracer as TracerLike | undefined });
  } catch (error) {
    reportFault("trace-context", error);
    return undefined;
  }
}

/**
 * The backend in use. Without configure(), the first call auto-detects: OpenTelemetry when
 * `@opentelemetry/api` loads and an SDK has registered a tracer provider, else logging. The
 * choice is kept until configure() is called again.
 *
 * @example
 * getBackend().name // "logging"
 */
export function getBackend(): Backend {
  return (config.resolved ??= resolve(config.backendChoice, config.logger, config.tracer));
}
