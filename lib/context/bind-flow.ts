// bindFlow(): carry the flow context of the moment into a callback run later from elsewhere
// (an EventEmitter listener, a userland callback queue, a connection pool's callback).
import { AsyncResource } from "node:async_hooks";
import { describeValue } from "../internal/describe-value";
import { PenstockError } from "../errors";
import type { AnyFunction } from "../types";

/**
 * Returns a function that runs `fn` in the flow context current now, whoever calls it later
 * and from wherever. Outside a flow, the returned function runs outside any flow, even when
 * called from inside one. Built on `AsyncResource`, so penstock's flow context and every
 * `AsyncLocalStorage` context are carried along, the OpenTelemetry active span included.
 *
 * The returned function is faithful: same `this`, arguments, return value and thrown value,
 * and the same `name` and `length`.
 *
 * @example
 * emitter.on("data", bindFlow((chunk) => step(chunk)));
 * queue.push(bindFlow(() => notify(order)));
 */
export function bindFlow<F extends AnyFunction>(fn: F): F {
  if (typeof fn !== "function") {
    throw new PenstockError("INVALID_ARGUMENT", `bindFlow(fn): fn must be a function, not ${describeValue(fn)}.`);
  }
  const resource = new AsyncResource("penstock.bindFlow");
  const bound = function (this: unknown, ...args: unknown[]): unknown {
    return resource.runInAsyncScope(fn, this, ...args);
  };
  Object.defineProperty(bound, "name", { value: fn.name, configurable: true });
  Object.defineProperty(bound, "length", { value: fn.length, configurable: true });
  return bound as unknown as F;
}
