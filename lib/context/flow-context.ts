// The flow context API: the running flow's ID and context, and its flow values.
import { PenstockError } from "../errors";
import { describeValue } from "../internal/describe-value";
import { getBackend } from "../config/configure";
import { backendCorrelationId } from "./correlation-id";
import { currentFrame } from "./frame-store";
import { valuesHome, type Frame } from "./frame";
import type { FlowContext, FlowKey } from "../types";

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

/** The configured backend's ID when it gives a usable one, else the frame's. Never throws. */
export function correlationIdOf(frame: Frame): string {
  return backendCorrelationId(getBackend(), frame.correlationId) ?? frame.correlationId;
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
export function getFlowValue<T>(key: string | FlowKey<T>): T | undefined;
export function getFlowValue<T>(key: string | FlowKey<T>, fallback: T): T;
export function getFlowValue<T>(key: string | FlowKey<T>, fallback?: T): T | undefined {
  const name = keyName(key, "getFlowValue()");
  const frame = currentFrame();
  const values = frame === undefined ? undefined : valuesHome(frame).values;
  return values !== undefined && values.has(name) ? (values.get(name) as T) : fallback;
}
