// runInFlow(): open a flow context before any entrypoint runs (a server, a queue worker),
// continuing an inbound ID or trace when it is valid and trusted.
import { PenstockError } from "../errors";
import { getBackend } from "../config/configure";
import { config } from "../config/state";
import { reportFault } from "../config/faults";
import { describeValue } from "../internal/describe-value";
import { parseTraceparent, parseTracestate } from "../propagation/trace-context";
import { inboundParentOf } from "../propagation/inbound-context";
import { backendCorrelationId } from "./correlation-id";
import { INBOUND_CORRELATION_ID } from "./inbound-id";
import { currentFrame, frames } from "./frame-store";
import { CALL_ENDED, CONTINUED_HERE, valuesHome, type Frame } from "./frame";
import { isValidCorrelationId, newFlatCorrelationId } from "./ids";
import type { FlowScope, RemoteParent } from "../types";

/** Options of {@link runInFlow}; `extractFlow(carrier)` returns them. */
export interface RunInFlowOptions {
  /**
   * An inbound correlation ID to continue. Ignored (a fresh ID is made) unless 1-128 chars of
   * `[A-Za-z0-9._:-]`; with the OpenTelemetry backend, unless it is a trace ID (32 hex).
   * Ignored altogether under `configure({ trustInbound: false })`, as are `traceparent` and `tracestate`.
   */
  readonly correlationId?: string | undefined;
  /** An inbound W3C `traceparent` to continue; wins over `correlationId`. Ignored when invalid. */
  readonly traceparent?: string | undefined;
  /** The W3C `tracestate` that came with `traceparent`. Dropped when invalid. */
  readonly tracestate?: string | undefined;
  /** Initial flow values. */
  readonly values?: Iterable<readonly [string, unknown]> | undefined;
}

/**
 * Runs `fn` in a flow context: the way a server or a queue worker opens a flow before any
 * entrypoint runs. Inside another flow it keeps that flow's ID unless given one. Inbound IDs
 * are never trusted blindly: an invalid one is replaced by a fresh ID, without an error.
 *
 * With the OpenTelemetry backend the flow's ID is a trace ID and the spans started inside
 * carry it: an active span's trace (HTTP server instrumentation) is kept; otherwise an inbound
 * `traceparent` is continued, or the flow's ID becomes the trace ID of the spans inside (see
 * docs/backends.md, "One ID").
 *
 * @example
 * app.use((req, res, next) => runInFlow(extractFlow(req.headers), next));
 */
export function runInFlow<T>(options: RunInFlowOptions, fn: () => T): T {
  if (options === null || typeof options !== "object") {
    throw new PenstockError("INVALID_ARGUMENT", `runInFlow(options, fn): options must be an object such as { correlationId }, not ${describeValue(options)}.`);
  }
  if (typeof fn !== "function") {
    throw new PenstockError("INVALID_ARGUMENT", `runInFlow(options, fn): fn must be a function, not ${describeValue(fn)}.`);
  }
  const outer = currentFrame();
  const values = new Map(outer === undefined ? undefined : valuesHome(outer).values);
  if (options.values !== undefined) {
    const iterable = options.values as unknown;
    if (iterable === null || typeof (iterable as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function") {
      throw new PenstockError("INVALID_ARGUMENT", `runInFlow(options): options.values must be an iterable of [key, value] pairs (an array or a Map), not ${describeValue(iterable)}.`);
    }
    for (const entry of iterable as Iterable<unknown>) {
      if (!Array.isArray(entry) || typeof entry[0] !== "string") {
        throw new PenstockError("INVALID_ARGUMENT", `runInFlow(options): options.values must hold [key, value] pairs with string keys, not ${describeValue(entry)}.`);
      }
      values.set(entry[0], entry[1]);
    }
  }
  const backend = getBackend();
  const scope = backend.flowScope;
  // A trace the backend is in and penstock did not start (an HTTP server span): its spans
  // will inherit it, so the flow must report it too, whatever came inbound.
  const ambient = backendCorrelationId(backend, outer?.correlationId);
  const foreign = ambient !== undefined && ambient !== outer?.correlationId ? ambient : undefined;
  // configure({ trustInbound: false }): a public edge adopts nothing that came from outside.
  const trusted = config.trustInbound;
  const remote = foreign === undefined && trusted ? inboundParent(options) : undefined;
  const inbound = trusted ? inboundId(options.correlationId, scope) : undefined;
  const correlationId = foreign ?? remote?.traceId ?? inbound ?? outer?.correlationId ?? newFlatCorrelationId();
  // A caller's valid ID that the flow's trace replaced is kept with the flow (lib/context/inbound-id.ts).
  if (trusted && isValidCorrelationId(options.correlationId) && options.correlationId !== correlationId) values.set(INBOUND_CORRELATION_ID, options.correlationId);
  const frame: Frame = {
    correlationId,
    flow: outer?.flow,
    step: outer?.step,
    spanId: outer?.spanId,
    home: undefined,
    values,
    record: outer?.record,
    // Nested in a flow call with its ID, it is that flow call; otherwise a new one begins.
    flowCall: correlationId === outer?.correlationId ? outer.flowCall : undefined,
    chain: correlationId === outer?.correlationId ? outer.chain : 0,
    // No call's frame; one whose ID came from another process (a carrier) is marked so: its flow call goes on here.
    started: correlationId !== outer?.correlationId && (correlationId === remote?.traceId || correlationId === inbound) ? CONTINUED_HERE : CALL_ENDED,
  };
  if (scope === undefined || correlationId === ambient) return frames.run(frame, fn);
  return enterScope(scope, correlationId, remote, () => frames.run(frame, fn));
}

/**
 * `scope.enter`, with `run` run exactly once whatever the scope does: a scope that throws is
 * reported, and the caller gets what `run` returned or threw.
 */
function enterScope<T>(scope: FlowScope, id: string, remote: RemoteParent | undefined, run: () => T): T {
  let state = "not run" as "not run" | "returned" | "threw";
  let outcome: unknown;
  try {
    return scope.enter(id, remote, () => {
      try {
        outcome = run();
        state = "returned";
      } catch (error) {
        outcome = error;
        state = "threw";
      }
      if (state === "threw") throw outcome;
      return outcome as T;
    });
  } catch (error) {
    if (state === "threw") throw outcome;
    reportFault("trace-context", error);
    return state === "returned" ? (outcome as T) : run();
  }
}

function inboundParent(options: RunInFlowOptions): RemoteParent | undefined {
  const parent = parseTraceparent(options.traceparent);
  if (parent === undefined) return undefined;
  // From extractFlow(): the context the backend's propagators read, continued as it is.
  return inboundParentOf(options, parent.traceId, parent.spanId) ?? { ...parent, tracestate: parseTracestate(options.tracestate) };
}

function inboundId(id: unknown, scope: FlowScope | undefined): string | undefined {
  if (!isValidCorrelationId(id)) return undefined;
  if (scope === undefined) return id;
  try {
    const accepted = scope.acceptId(id);
    return isValidCorrelationId(accepted) ? accepted : undefined;
  } catch (error) {
    reportFault("trace-context", error);
    return undefined;
  }
}
