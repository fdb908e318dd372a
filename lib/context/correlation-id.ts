// The backend's own correlation ID (the OpenTelemetry trace ID), checked; and how a backend
// that names flows names a root call. Imports no configuration: the call path depends on it.
import { PenstockError } from "../errors";
import { reportFault } from "../config/faults";
import { isValidCorrelationId } from "./ids";
import type { Frame } from "./frame";
import type { Backend } from "../types";

/**
 * The backend's own correlation ID for the current context (with OpenTelemetry: the active
 * trace ID), or undefined when it has none or gives an unusable one. Never throws: a faulty
 * backend is reported and ignored.
 */
export function backendCorrelationId(backend: Backend, known?: string): string | undefined {
  let id: unknown;
  try {
    id = backend.getCorrelationId();
  } catch (error) {
    reportFault("correlation-id", error);
    return undefined;
  }
  if (id === undefined || id === known) return known;
  if (isValidCorrelationId(id)) return id;
  reportFault("correlation-id", new PenstockError("INVALID_BACKEND", `The tracing backend "${backend.name ?? "custom"}" returned a correlation ID that is not 1-128 characters of [A-Za-z0-9._:-]; penstock's own ID is used instead.`));
  return undefined;
}

/**
 * `run`, first giving the root frame `frame` the correlation ID of the backend's span (its
 * trace ID), which the backend has started when it calls `run`: so the flow has one ID, not
 * two, and nothing has seen the fresh one yet. Only for a backend with a `flowScope`.
 */
export function namingRun(run: () => unknown, backend: Backend, frame: Frame): () => unknown {
  return () => {
    const id = backendCorrelationId(backend);
    if (id !== undefined) frame.correlationId = id;
    return run();
  };
}
