// flowLoggerOptions: pino options with flowMixin merged in, beside a mixin of the user's own.
import type { LoggerOptions } from "pino";
import { z } from "zod";
import { parseOrThrow } from "../internal/parse-or-throw";
import { flowMixin } from "./mixin";

type Mixin = NonNullable<LoggerOptions["mixin"]>;

const optionsSchema = z.looseObject({
  mixin: z.custom<Mixin>((value) => typeof value === "function", { message: "must be a function (mergeObject, level, logger) => object" }).optional(),
});

/**
 * Your pino options with {@link flowMixin} added. A `mixin` of your own still runs; its fields
 * are written after penstock's, so on a name clash yours win.
 *
 * @example
 * import pino from "pino";
 * import { flowLoggerOptions } from "penstock/pino";
 * const logger = pino(flowLoggerOptions({ level: "debug" }));
 */
export function flowLoggerOptions<O extends LoggerOptions = LoggerOptions>(options?: O): O & { mixin: Mixin } {
  const parsed = parseOrThrow(optionsSchema, options ?? {}, "flowLoggerOptions(options)");
  const own = parsed.mixin;
  if (own === undefined) return { ...(options as O), mixin: flowMixin };
  return {
    ...(options as O),
    mixin: function penstockFlowMixin(this: unknown, mergeObject, level, logger) {
      return { ...flowMixin(), ...own.call(this, mergeObject, level, logger) };
    },
  };
}
