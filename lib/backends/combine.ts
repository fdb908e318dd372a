// combineBackends(): several backends on one call, with one ID. A backend that names flows
// (OpenTelemetry's, with a flowScope) runs outermost, so that its span has started when the
// others write their first record: they get its trace ID and its span ID for the call.
import { PenstockError } from "../errors";
import { reportFault } from "../config/faults";
import { describeValue } from "../internal/describe-value";
import { isValidCorrelationId } from "../context/ids";
import { shieldCall, spanReturned, spanThrew } from "../call/shield";
import { isTrustedBackend } from "./trusted";
import { carrierOf, setCarrier } from "../context/frame-carrier";
import type { Backend, SpanInfo } from "../types";

function checkBackend(value: unknown, index: number): Backend {
  const record = value as Partial<Backend> | null;
  if (record === null || typeof record !== "object" || typeof record.span !== "function" || typeof record.getCorrelationId !== "function") {
    throw new PenstockError(
      "INVALID_BACKEND",
      `combineBackends(...backends): backends[${index}] must be a backend record { span, getCorrelationId } (such as otelBackend() or loggingBackend()), not ${describeValue(value)}.`,
    );
  }
  return record as Backend;
}

/** The backend's ID of the current span, or undefined; a backend that throws is reported and ignored. */
function spanIdOf(backend: Backend): string | undefined {
  if (backend.getSpanId === undefined) return undefined;
  try {
    const id = backend.getSpanId();
    return typeof id === "string" && /^[0-9a-f]{16}$/.test(id) && id !== "0000000000000000" ? id : undefined;
  } catch (error) {
    reportFault("correlation-id", error);
    return undefined;
  }
}

function correlationIdOf(backend: Backend): string | undefined {
  try {
    const id = backend.getCorrelationId();
    return isValidCorrelationId(id) ? id : undefined;
  } catch (error) {
    reportFault("correlation-id", error);
    return undefined;
  }
}

/** `span` of one layer, shielded unless the backend guards its own faults (the logging backend). */
function runLayer(backend: Backend, info: SpanInfo, inner: () => unknown): unknown {
  if (isTrustedBackend(backend)) return backend.span(info, inner);
  const call = shieldCall(backend, info, inner, undefined, []);
  let returned: unknown;
  try {
    returned = backend.span(info, call.run);
  } catch (error) {
    return spanThrew(call, error);
  }
  return spanReturned(call, returned);
}

/**
 * One backend that runs every given backend on each call, with one ID: when one of them names
 * flows (OpenTelemetry), it runs outermost, and every record of the others carries its trace
 * ID as `correlationId` and its span ID as `spanId` (the caller's span as `parentSpanId`),
 * from an entrypoint's first record on. Each backend is shielded from the others: one that
 * fails never changes what the others record or what your function does.
 * `configure({ backend: ["otel", "logging"] })` is this for the built-ins.
 *
 * @example
 * import { combineBackends, configure, loggingBackend } from "penstock";
 * import { otelBackend } from "penstock/otel";
 * configure(combineBackends(otelBackend(), loggingBackend({ logger })));
 */
export function combineBackends(...backends: Backend[]): Backend {
  if (backends.length === 0) {
    throw new PenstockError("INVALID_BACKEND", "combineBackends(...backends): pass at least one backend, such as combineBackends(otelBackend(), loggingBackend()).");
  }
  const checked = backends.map(checkBackend);
  if (checked.length === 1) return checked[0]!;
  const ordered = [...checked.filter((b) => b.flowScope !== undefined), ...checked.filter((b) => b.flowScope === undefined)];
  const last = ordered.length - 1;

  function layer(index: number, info: SpanInfo, run: () => unknown): unknown {
    const backend = ordered[index]!;
    if (index === last) return runLayer(backend, info, run);
    // The span active before this backend's own starts is the caller's (an HTTP server span, a parent step).
    const parentSpanId = spanIdOf(backend);
    return runLayer(backend, info, () => layer(index + 1, informed(backend, info, parentSpanId), run));
  }

  const combined: Backend = {
    name: ordered.map((backend, index) => backend.name ?? `backend ${index}`).join("+"),
    span<T>(info: SpanInfo, run: () => T): T {
      return layer(0, info, run) as T;
    },
    getCorrelationId() {
      for (const backend of ordered) {
        const id = correlationIdOf(backend);
        if (id !== undefined) return id;
      }
      return undefined;
    },
    getSpanId() {
      for (const backend of ordered) {
        const id = spanIdOf(backend);
        if (id !== undefined) return id;
      }
      return undefined;
    },
    async flush() {
      await Promise.allSettled(ordered.map(async (backend) => backend.flush?.()));
    },
  };
  const scope = ordered[0]!.flowScope;
  // The outermost backend's span enters the call's frame when it carries frames (OpenTelemetry's).
  return setCarrier(scope === undefined ? combined : { ...combined, flowScope: scope }, carrierOf(ordered[0]));
}

/** What the backends inside `outer`'s span are told: its trace ID and span ID for this call, when it has them. */
function informed(outer: Backend, info: SpanInfo, parentSpanId: string | undefined): SpanInfo {
  const spanId = spanIdOf(outer);
  const correlationId = correlationIdOf(outer);
  if (spanId === undefined && correlationId === undefined) return info;
  return {
    ...info,
    correlationId: correlationId ?? info.correlationId,
    spanId: spanId ?? info.spanId,
    parentSpanId: spanId === undefined ? info.parentSpanId : parentSpanId,
  };
}
