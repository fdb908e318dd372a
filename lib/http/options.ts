// The options every HTTP adapter takes, checked once when the adapter is made.
import { z } from "zod";
import { DEFAULT_CORRELATION_HEADER, type FlowCarrierOptions } from "../propagation/carrier";
import { parseOrThrow } from "../internal/parse-or-throw";

/** Options of {@link flowMiddleware}, {@link flowListener} and {@link withFlow}. */
export interface FlowHttpOptions {
  /**
   * Continue the flow named by an inbound `X-Correlation-ID` or W3C `traceparent` when it is
   * valid. Default `true`. Set `false` on a public edge: every request then starts a fresh flow,
   * whatever the client sends.
   */
  readonly trustInbound?: boolean;
  /** The header that carries the correlation ID, inbound and on the response. Default `"X-Correlation-ID"`. */
  readonly correlationHeader?: string;
}

/** What an adapter needs per request, worked out once. */
export interface ResolvedHttpOptions {
  readonly trustInbound: boolean;
  /** The response header's name, as the user spelled it. */
  readonly responseHeader: string;
  /** What to pass to `extractFlow`: undefined for the default header, so no options are parsed per request. */
  readonly carrierOptions: FlowCarrierOptions | undefined;
}

const optionsSchema = z.strictObject({
  trustInbound: z.boolean({ message: "must be true or false" }).optional(),
  correlationHeader: z
    .string({ message: "must be a string" })
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { message: "must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)" })
    .optional(),
});

const DEFAULT_RESPONSE_HEADER = "X-Correlation-ID";

export function resolveHttpOptions(options: FlowHttpOptions | undefined, where: string): ResolvedHttpOptions {
  const { trustInbound = true, correlationHeader } = parseOrThrow(optionsSchema, options ?? {}, `${where}: options`);
  const custom = correlationHeader !== undefined && correlationHeader.toLowerCase() !== DEFAULT_CORRELATION_HEADER;
  return {
    trustInbound,
    responseHeader: custom ? correlationHeader : DEFAULT_RESPONSE_HEADER,
    carrierOptions: custom ? { correlationHeader } : undefined,
  };
}
