// settle(): end a span when a result settles, so custom backends need no promise handling.
import { reportFault } from "../config/faults";
import type { SpanInfo } from "../types";

/** How a traced call ended. */
export type SpanOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

const OK: SpanOutcome = Object.freeze({ ok: true });

/** True for anything with a callable `then`: native promises and other thenables. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/**
 * Calls `onEnd` when `result` is final: at once for a plain value, when it settles for a
 * promise (then returns a promise that settles the same way). For a thrown error, call
 * `onEnd({ ok: false, error })` yourself before rethrowing.
 *
 * @example
 * span(info, run) {
 *   const started = Date.now();
 *   let result;
 *   try { result = run(); } catch (error) { report(info, { ok: false, error }, started); throw error; }
 *   return settle(result, (outcome) => report(info, outcome, started));
 * }
 */
export function settle<T>(result: T, onEnd: (outcome: SpanOutcome) => void): T {
  if (!isThenable(result)) {
    onEnd(OK);
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      onEnd(OK);
      return value;
    },
    (error: unknown) => {
      onEnd({ ok: false, error });
      throw error;
    },
  ) as T;
}

/** Internal: true for a native promise (not a subclass, not another thenable). */
export function isNativePromise(value: unknown): value is Promise<unknown> {
  return value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Promise.prototype;
}

/** Passed to {@link settleInPlace}'s `onEnd` on success (an error may be any value, even undefined). */
export const NO_ERROR: unique symbol = Symbol("penstock.no-error");

/**
 * Internal, for the built-in backends: calls `onEnd` when the promise `result` settles, and
 * returns `result` itself where settle() returns a derived promise. The handlers never throw
 * (a fault in `onEnd` is reported, as invokeTraced reports a derived promise's rejection), so
 * the promise `.then` derives always fulfils and needs no watching: invokeTraced, given back
 * the function's own promise, skips the handler it attaches to a derived one. Per async call
 * that saves a promise and four closures. Other thenables keep settle()'s path: their `then`
 * may throw, or call back more than once.
 */
export function settleInPlace<T>(result: T, info: SpanInfo, onEnd: (error: unknown) => void): T {
  if (!isNativePromise(result)) {
    return settle(result, (outcome) => onEnd(outcome.ok ? NO_ERROR : outcome.error));
  }
  (result as unknown as Promise<unknown>).then(
    () => {
      try {
        onEnd(NO_ERROR);
      } catch (fault) {
        reportFault("span-rejected", fault, info);
      }
    },
    (error: unknown) => {
      try {
        onEnd(error);
      } catch (fault) {
        reportFault("span-rejected", fault, info);
      }
    },
  );
  return result;
}
