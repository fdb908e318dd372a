// One traced call: hands the call to the backend and shields the user's function from it.
// Whatever the backend does, the function runs exactly once and its own result or error
// reaches the caller; faults go to reportFault (the OpenTelemetry "never throw" rule).
import { faultError, reportFault } from "../config/faults";
import { shared } from "../internal/global";
import { isThenable } from "../backends/settle";
import type { AnyFunction, Backend, SpanInfo } from "../types";

const config = shared.config;
const NOT_RUN = 0;
const RETURNED = 1;
const THREW = 2;

export function invokeTraced(backend: Backend, info: SpanInfo, fn: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
  let state = NOT_RUN;
  let outcome: unknown;
  // Calls of `run` after the first: counted while span() runs and reported when it returns
  // or throws (-1 from then on, and a later call is reported by itself). `run` does not
  // refer to `backend` or `info`: with a closure that holds only what the call needs, V8 can
  // drop the SpanInfo of a backend that never reads it (an inlined no-op backend), up to 80
  // bytes per call (docs/performance.md).
  let again = 0;

  const run = (): unknown => {
    if (state !== NOT_RUN) {
      if (again < 0) reportLateRun();
      else again++;
      if (state === THREW) throw outcome;
      return outcome;
    }
    try {
      outcome = fn.apply(thisArg, args);
      state = RETURNED;
    } catch (error) {
      outcome = error;
      state = THREW;
      throw error;
    }
    return outcome;
  };

  let returned: unknown;
  try {
    returned = backend.span(info, run);
  } catch (error) {
    if (again > 0) reportRunAgain(backend, info);
    again = -1;
    if (state === THREW) {
      // The usual path for a failing function: the backend recorded it and rethrew it.
      if (error !== outcome) reportFault("span-threw", error, info);
      throw outcome;
    }
    reportFault("span-threw", error, info);
    if (state === NOT_RUN) return run();
    return outcome;
  }
  if (again > 0) reportRunAgain(backend, info);
  again = -1;

  // A derived promise (settle() makes one) needs a handler, or its rejection would go
  // unhandled: the caller gets the function's own value, never the backend's.
  const derived = returned !== outcome && isThenableSafely(returned);
  if (derived) absorb(returned as PromiseLike<unknown>, () => state === THREW, () => outcome, info);

  if (state === NOT_RUN) {
    reportFault("run-not-called", faultError("run-not-called", backend.name), info);
    return run();
  }
  if (state === THREW) {
    reportFault("error-swallowed", faultError("error-swallowed", backend.name), info);
    throw outcome;
  }
  if (derived ? !isThenable(outcome) : !Object.is(returned, outcome)) {
    reportFault("returned-other", faultError("returned-other", backend.name), info);
  }
  // Always the function's own value: a sync result stays sync, a promise keeps its identity.
  return outcome;
}

/** span() is over and called `run` more than once. */
function reportRunAgain(backend: Backend, info: SpanInfo): void {
  reportFault("run-called-twice", faultError("run-called-twice", backend.name), info);
}

/**
 * `run` called again after span() returned (kept and called later): reported without the
 * call's SpanInfo, which `run` does not hold (see invokeTraced), and under the name of the
 * backend configured now.
 */
function reportLateRun(): void {
  reportFault("run-called-twice", faultError("run-called-twice", config.resolved?.name));
}

function isThenableSafely(value: unknown): boolean {
  try {
    return isThenable(value);
  } catch {
    // A throwing `then` getter: not a thenable penstock will touch.
    return false;
  }
}

/** Handles the rejection of a backend's derived promise; only a rejection of its own is a fault. */
function absorb(derived: PromiseLike<unknown>, threw: () => boolean, outcome: () => unknown, info: SpanInfo): void {
  const onRejected = (reason: unknown): void => {
    const own = outcome();
    if (threw()) {
      if (reason !== own) reportFault("span-rejected", reason, info);
      return;
    }
    if (!isThenableSafely(own)) {
      reportFault("span-rejected", reason, info);
      return;
    }
    // A custom thenable's `then` is called at most once by penstock (by the backend's
    // settle()); asking it again could have effects, so its rejection is taken as mirrored.
    if (!(own instanceof Promise)) return;
    // Mirrors the function's own rejection (the usual case), or fails where the function did not.
    Promise.resolve(own).then(
      () => reportFault("span-rejected", reason, info),
      (ownReason: unknown) => {
        if (ownReason !== reason) reportFault("span-rejected", reason, info);
      },
    );
  };
  try {
    derived.then(undefined, onRejected);
  } catch (error) {
    reportFault("returned-other", error, info);
  }
}
