// The flow context API: correlation ID, flow values, and runInFlow.
import { PenstockError } from "../errors";
import { getBackend } from "../config/configure";
import { reportFault } from "../config/faults";
import { describeValue } from "../internal/describe-value";
import { isValidCorrelationId, newCorrelationId } from "./ids";
import { shared } from "../internal/global";
import { currentFrame, storage } from "./current-frame";
import { parseTraceparent, parseTracestate } from "../propagation/trace-context";
import { flowScopeOf, type FlowScope, type RemoteParent } from "../propagation/flow-scope";
import { valuesHome, type Frame } from "./frame";
import type { Backend, FlowContext, FlowKey } from "../types";

/**
 * The correlation ID of the running flow: the backend's (with OpenTelemetry, the trace ID),
 * else penstock's own. Undefined outside any flow.
 *
 * @example
 * res.setHeader("X-Correlation-ID", currentFlowId() ?? "none");
 */
export function currentFlowId(): string | undefined {
  const frame = currentFrame();
  return frame === undefined ? undefined : correlationIdOf(frame);
}

/** The backend's ID when it gives a usable one, else the frame's. Never throws. */
export function correlationIdOf(frame: Frame): string {
  return backendCorrelationId(getBackend(), frame.correlationId) ?? frame.correlationId;
}

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
 * A frozen view of the running flow context, or undefined outside any flow.
 *
 * @example
 * const ctx = getFlowContext(); // { correlationId, flow: "orders", step: "charge", values }
 */
export function getFlowContext(): FlowContext | undefined {
  const frame = currentFrame();
  if (frame === undefined) return undefined;
  return Object.freeze({
    correlationId: correlationIdOf(frame),
    flow: frame.flow,
    step: frame.step,
    values: new Map(valuesHome(frame).values) as ReadonlyMap<string, unknown>,
  });
}

/**
 * A typed key for flow values.
 *
 * @example
 * const userId = flowKey<string>("userId");
 * setFlowValue(userId, "u-42");
 * getFlowValue(userId); // string | undefined
 */
export function flowKey<T>(name: string): FlowKey<T> {
  if (typeof name !== "string" || name.length === 0) {
    throw new PenstockError("INVALID_ARGUMENT", `flowKey(name): name must be a non-empty string, not ${describeValue(name)}.`);
  }
  return Object.freeze({ name });
}

function keyName<T>(key: string | FlowKey<T>, where: string): string {
  if (typeof key === "string") return key;
  if (key !== null && typeof key === "object" && typeof key.name === "string") return key.name;
  throw new PenstockError("INVALID_ARGUMENT", `${where}: key must be a string or a flowKey(), not ${describeValue(key)}.`);
}

/**
 * Sets a value that later steps of the same flow call can read. Throws `OUTSIDE_FLOW`
 * outside a flow. A nested entrypoint gets a copy: its writes do not reach the outer flow.
 *
 * @example
 * setFlowValue("tenant", "acme");
 */
export function setFlowValue<T>(key: string | FlowKey<T>, value: NoInfer<T>): void {
  const name = keyName(key, "setFlowValue()");
  const frame = currentFrame();
  if (frame === undefined) {
    throw new PenstockError(
      "OUTSIDE_FLOW",
      `setFlowValue("${name}") was called outside a flow. Call it inside an entrypoint, a step or runInFlow().`,
    );
  }
  const home = valuesHome(frame);
  (home.values ??= new Map()).set(name, value);
}

/**
 * Reads a flow value; `fallback` outside a flow or when the key was never set.
 *
 * @example
 * const tenant = getFlowValue("tenant", "default");
 */
export function getFlowValue<T>(key: string | FlowKey<T>, fallback?: T): T | undefined {
  const name = keyName(key, "getFlowValue()");
  const frame = currentFrame();
  const values = frame === undefined ? undefined : valuesHome(frame).values;
  return values !== undefined && values.has(name) ? (values.get(name) as T) : fallback;
}

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
  const scope = flowScopeOf(backend);
  // A trace the backend is in and penstock did not start (an HTTP server span): its spans
  // will inherit it, so the flow must report it too, whatever came inbound.
  const ambient = backendCorrelationId(backend, outer?.correlationId);
  const foreign = ambient !== undefined && ambient !== outer?.correlationId ? ambient : undefined;
  // configure({ trustInbound: false }): a public edge adopts nothing that came from outside.
  const trusted = shared.config.trustInbound;
  const remote = foreign === undefined && trusted ? inboundParent(options) : undefined;
  const inbound = trusted ? inboundId(options.correlationId, scope) : undefined;
  const correlationId = foreign ?? remote?.traceId ?? inbound ?? outer?.correlationId ?? newCorrelationId();
  const frame: Frame = {
    correlationId,
    provisional: false,
    flow: outer?.flow,
    step: outer?.step,
    spanId: outer?.spanId,
    home: undefined,
    values,
  };
  if (scope === undefined || correlationId === ambient) return storage.run(frame, fn);
  return scope.enter(correlationId, remote, () => storage.run(frame, fn));
}

function inboundParent(options: RunInFlowOptions): RemoteParent | undefined {
  const parent = parseTraceparent(options.traceparent);
  return parent === undefined ? undefined : { ...parent, tracestate: parseTracestate(options.tracestate) };
}

function inboundId(id: unknown, scope: FlowScope | undefined): string | undefined {
  if (!isValidCorrelationId(id)) return undefined;
  return scope === undefined ? id : scope.acceptId(id);
}
