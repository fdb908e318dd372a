// entrypoint(), step() and flow(): validate at wrap time, register, return a faithful wrapper.
import { PenstockError } from "../errors";
import { describeValue } from "../internal/describe-value";
import { register } from "../registry/registry";
import { makeWrapper } from "../call/wrapper";
import { registerExpected } from "../call/expected";
import { flowsOf, parseOptions, resolveAfter, resolveFlow, splitAfter } from "./options";
import { callerSite } from "./site";
import type { AnyFunction, Attributes, EntrypointOptions, StepInfo, StepKind, StepOptions } from "../types";

function wrap<F extends AnyFunction>(kind: StepKind, name: unknown, fn: unknown, options: unknown): F {
  const where = `${kind}(${typeof name === "string" ? JSON.stringify(name) : "name"}, fn, options)`;
  if (typeof name !== "string" || name.length === 0) {
    throw new PenstockError("INVALID_ARGUMENT", `${where}: name must be a non-empty string naming the ${kind}, not ${describeValue(name)}.`);
  }
  if (typeof fn !== "function") {
    throw new PenstockError("INVALID_ARGUMENT", `${where}: fn must be the function to wrap, not ${describeValue(fn)}.`);
  }
  const parsed = parseOptions(where, options);
  const refs = resolveAfter(where, parsed.after);
  const flow = resolveFlow(where, kind, name, parsed.flow, flowsOf(refs));
  const after = splitAfter(refs, flow);
  const source = callerSite(wrap);
  const info: StepInfo = Object.freeze({
    name,
    flow,
    kind,
    after: Object.freeze(after.names),
    ...(source === undefined ? {} : { source }),
    ...(after.crossFlow.length === 0 ? {} : { crossFlow: Object.freeze(after.crossFlow.map((ref) => Object.freeze(ref))) }),
  });
  register(info);
  registerExpected(info, parsed.expected);
  return makeWrapper(fn as F, info, parsed.attributes as Attributes | ((...args: unknown[]) => Attributes) | undefined);
}

/**
 * Wraps the function where a flow begins (an HTTP handler, a queue consumer). Each call
 * outside a flow starts one, with a new correlation ID; inside a flow it keeps the ID.
 *
 * @example
 * export const placeOrder = entrypoint("place_order", async (order: Order) => { ... });
 */
export function entrypoint<F extends AnyFunction>(name: string, fn: F, options?: EntrypointOptions<F>): F {
  return wrap<F>("entrypoint", name, fn, options);
}

/**
 * Wraps a function that runs inside a flow. `after` names its predecessors in the DAG.
 *
 * @example
 * export const chargeCard = step("charge_card", async (order: Order) => { ... }, { after: validateOrder });
 */
export function step<F extends AnyFunction>(name: string, fn: F, options?: StepOptions<F>): F {
  return wrap<F>("step", name, fn, options);
}

/** A flow's name bound once, for its entrypoints and steps. */
export interface FlowBuilder {
  readonly name: string;
  entrypoint<F extends AnyFunction>(name: string, fn: F, options?: Omit<EntrypointOptions<F>, "flow">): F;
  step<F extends AnyFunction>(name: string, fn: F, options?: Omit<StepOptions<F>, "flow">): F;
}

/**
 * Binds a flow name, so its steps need no `flow` option.
 *
 * @example
 * const orders = flow("orders");
 * export const receive = orders.entrypoint("receive", handler);
 * export const validate = orders.step("validate", check, { after: receive });
 */
export function flow(name: string): FlowBuilder {
  if (typeof name !== "string" || name.length === 0) {
    throw new PenstockError("INVALID_ARGUMENT", `flow(name): name must be a non-empty string, not ${describeValue(name)}.`);
  }
  const withFlow = (kind: string, options: unknown): unknown => {
    if (options === undefined) return { flow: name };
    // Anything but an object is left for the option parser to reject with its usual message.
    if (options === null || typeof options !== "object") return options;
    if ("flow" in options) {
      throw new PenstockError("INVALID_ARGUMENT", `flow("${name}").${kind}(): options.flow is not allowed here; the flow is "${name}".`);
    }
    return { ...options, flow: name };
  };
  return Object.freeze({
    name,
    entrypoint: <F extends AnyFunction>(stepName: string, fn: F, options?: Omit<EntrypointOptions<F>, "flow">): F =>
      wrap<F>("entrypoint", stepName, fn, withFlow("entrypoint", options)),
    step: <F extends AnyFunction>(stepName: string, fn: F, options?: Omit<StepOptions<F>, "flow">): F =>
      wrap<F>("step", stepName, fn, withFlow("step", options)),
  });
}
