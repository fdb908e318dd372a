// settle(): end a span when a result settles, so custom backends need no promise handling.
import { reportFault } from "../config/faults";
import { isNativePromise, isThenable } from "../internal/thenable";
import { backendSettled, backendWatches } from "../observations/observe";
import type { SpanInfo } from "../types";

/** How a traced call ended. */
export type SpanOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

const OK: SpanOutcome = Object.freeze({ ok: true });

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
  // The call's own promise: its end goes to penstock's observations from here too, so the call
  // needs no reaction of penstock's (lib/observations/observe.ts).
  const native = isNativePromise(result);
  if (native) backendWatches();
  return Promise.resolve(result).then(
    (value) => {
      if (native) backendSettled(false);
      onEnd(OK);
      return value;
    },
    (error: unknown) => {
      if (native) backendSettled(true, error);
      onEnd({ ok: false, error });
      throw error;
    },
  ) as T;
}

/** Passed to {@link settleInPlace}'s `onEnd` on success (an error may be any value, even undefined). */
export const NO_ERROR: unique symbol = Symbol("penstock.no-error");

/**
 * Internal, for the built-in backends: calls `onEnd` when the thenable `result` settles, and
 * returns `result` itself where settle() returns a derived promise, so the caller keeps the
 * function's own promise. The handlers never throw (a fault in `onEnd` is reported), so the
 * promise `.then` derives always fulfils and needs no watching. Per async call that saves a
 * promise and four closures. Another thenable is read through `Promise.resolve`, which calls
 * its `then` once and takes only its first callback, whatever it does.
 */
export function settleInPlace<T>(result: T, info: SpanInfo, onEnd: (error: unknown) => void): T {
  const native = isNativePromise(result);
  const promise = native ? result : Promise.resolve(result);
  // The call's own promise: its end goes to penstock's observations from here too (one reaction).
  if (native) backendWatches();
  promise.then(
    () => {
      if (native) backendSettled(false);
      try {
        onEnd(NO_ERROR);
      } catch (fault) {
        reportFault("span-rejected", fault, info);
      }
    },
    (error: unknown) => {
      if (native) backendSettled(true, error);
      try {
        onEnd(error);
      } catch (fault) {
        reportFault("span-rejected", fault, info);
      }
    },
  );
  return result;
}
