// injectFlow / extractFlow: a flow across a process boundary, through any string map
// (HTTP headers, job data, message attributes).
import { z } from "zod";
import { getBackend } from "../config/configure";
import { correlationIdOf } from "../context/flow-context";
import type { RunInFlowOptions } from "../context/run-in-flow";
import { describeValue } from "../internal/describe-value";
import { PenstockError } from "../errors";
import { reportFault } from "../config/faults";
import { config } from "../config/state";
import { isTraceId, isValidCorrelationId } from "../context/ids";
import { currentFrame } from "../context/frame-store";
import { formatTraceparent, parseTraceparent, parseTracestate } from "./trace-context";
import { parseOrThrow } from "../internal/parse-or-throw";
import { withInboundParent } from "./inbound-context";
import type { CarrierGetter, CarrierSetter, RemoteParent } from "../types";

/** The header (or key) that carries penstock's correlation ID unless told otherwise. */
export const DEFAULT_CORRELATION_HEADER = "x-correlation-id";

/** Options of {@link injectFlow} and {@link extractFlow}. */
export interface FlowCarrierOptions {
  /** The key of the correlation ID. Default `"x-correlation-id"`. Matched case-insensitively when read. */
  readonly correlationHeader?: string;
}

/**
 * What a carrier may be: a plain record (Node's `req.headers`, job data), or anything with
 * `get`/`set` such as a fetch `Headers` or a `Map`.
 */
export type FlowCarrier = object;

const optionsSchema = z.strictObject({
  correlationHeader: z
    .string()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { message: "must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)" })
    .optional(),
});

function headerOf(where: string, options: FlowCarrierOptions | undefined): string {
  const parsed = options === undefined ? {} : parseOrThrow(optionsSchema, options, `${where}: options`);
  return (parsed.correlationHeader ?? DEFAULT_CORRELATION_HEADER).toLowerCase();
}

type GetSet = { get?: unknown; set?: unknown };

// Every read is guarded: an inbound carrier may be anything, and must never cause an error.
const getter: CarrierGetter = {
  keys(carrier) {
    try {
      return carrier !== null && typeof carrier === "object" ? Object.keys(carrier) : [];
    } catch {
      return [];
    }
  },
  get(carrier, key) {
    try {
      return single(rawValue(carrier, key), key === "tracestate");
    } catch {
      return undefined;
    }
  },
};

function rawValue(carrier: unknown, key: string): unknown {
  if (carrier === null || typeof carrier !== "object") return undefined;
  if (typeof (carrier as GetSet).get === "function") return (carrier as { get(key: string): unknown }).get(key) ?? undefined;
  const record = carrier as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, key)) return record[key];
  const match = Object.keys(record).find((name) => name.toLowerCase() === key);
  return match === undefined ? undefined : record[match];
}

/** One string value; repeated headers arrive as arrays. Only `tracestate` may be split across them. */
function single(value: unknown, joinable: boolean): string | undefined {
  if (typeof value === "string") return value;
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) return undefined;
  if (value.length === 1) return value[0] as string;
  return joinable ? value.join(",") : undefined;
}

const setter: CarrierSetter = {
  set(carrier, key, value) {
    if (typeof (carrier as GetSet).set === "function") (carrier as { set(key: string, value: string): void }).set(key, value);
    else (carrier as Record<string, string>)[key] = value;
  },
};

/**
 * Writes the running flow into `carrier` (created when omitted) and returns it: the
 * correlation ID under `x-correlation-id`, and W3C `traceparent` / `tracestate`. With the
 * OpenTelemetry backend these come from the active span through OpenTelemetry's propagators;
 * with the logging backend `traceparent` names the flow's ID and the calling step's `span_id`.
 * Outside a flow the carrier is returned unchanged.
 *
 * @example
 * await queue.add("ship", injectFlow({ orderId }));
 * await fetch(url, { headers: injectFlow({ "content-type": "application/json" }) });
 */
export function injectFlow<C extends FlowCarrier = Record<string, string>>(carrier?: C, options?: FlowCarrierOptions): C {
  const header = headerOf("injectFlow(carrier, options)", options);
  const target = carrier ?? ({} as C);
  if (target === null || typeof target !== "object") {
    throw new PenstockError("INVALID_ARGUMENT", `injectFlow(carrier): carrier must be an object (a headers record, job data, a Headers or Map), not ${describeValue(target)}.`);
  }
  const backend = getBackend();
  const scope = backend.flowScope;
  let wroteTraceContext = false;
  if (scope !== undefined) {
    try {
      wroteTraceContext = scope.inject(target, setter);
    } catch (error) {
      reportFault("trace-context", error);
    }
  }
  const frame = currentFrame();
  if (frame === undefined) return target;
  const id = correlationIdOf(frame);
  setter.set(target, header, id);
  if (!wroteTraceContext && scope === undefined && isTraceId(id) && frame.spanId !== undefined) {
    // A flow with a trace-shaped ID continues as that trace in a service that uses OpenTelemetry.
    setter.set(target, "traceparent", formatTraceparent({ traceId: id, spanId: frame.spanId, flags: 1 }));
  }
  return target;
}

/**
 * Reads a flow written by {@link injectFlow} (or by any W3C trace-context sender) and returns
 * the options for {@link runInFlow}. Only valid values are returned: an invalid `traceparent`
 * or correlation ID is left out, so a fresh flow starts. Never throws for what the carrier holds.
 * Under `configure({ trustInbound: false })` it returns `{}`.
 *
 * @example
 * const worker = new Worker("ship", (job) => runInFlow(extractFlow(job.data), () => ship(job.data)));
 */
export function extractFlow(carrier: unknown, options?: FlowCarrierOptions): RunInFlowOptions {
  const header = headerOf("extractFlow(carrier, options)", options);
  // configure({ trustInbound: false }): nothing inbound is read, so a fresh flow starts.
  if (!config.trustInbound) return {};
  const remote = extractRemote(carrier);
  const correlationId = getter.get(carrier, header);
  return withInboundParent(
    {
      ...(remote === undefined ? {} : { traceparent: formatTraceparent(remote) }),
      ...(remote?.tracestate === undefined ? {} : { tracestate: remote.tracestate }),
      ...(isValidCorrelationId(correlationId) ? { correlationId } : {}),
    },
    remote,
  );
}

function extractRemote(carrier: unknown): RemoteParent | undefined {
  const scope = getBackend().flowScope;
  if (scope !== undefined) {
    try {
      const extracted = scope.extract(carrier, getter);
      if (extracted !== undefined) return extracted;
    } catch (error) {
      reportFault("trace-context", error);
    }
  }
  const parent = parseTraceparent(getter.get(carrier, "traceparent"));
  return parent === undefined ? undefined : { ...parent, tracestate: parseTracestate(getter.get(carrier, "tracestate")) };
}
