// The shield around one call handed to a backend: whatever the backend does with `run`, the
// function runs exactly once and its own result or error reaches the caller; faults go to
// reportFault (the OpenTelemetry "never throw" rule). The wrapper calls `backend.span` itself
// (lib/call/wrapper.ts), so that a wrapped call adds two frames to a stack trace, not five:
// these functions run before or after the span, never around the user's function.
import { faultError, reportFault } from "../config/faults";
import { config } from "../config/state";
import { isThenable, isThenableSafely } from "../internal/thenable";
import { namingRun } from "../context/correlation-id";
import type { Frame } from "../context/frame";
import type { AnyFunction, Backend, SpanInfo } from "../types";

export const NOT_RUN = 0;
export const RETURNED = 1;
export const THREW = 2;

/** One call as its backend sees it: `run` is what the backend calls. */
export interface ShieldedCall {
  readonly backend: Backend;
  readonly info: SpanInfo;
  readonly fn: AnyFunction;
  readonly thisArg: unknown;
  readonly args: unknown[];
  /** NOT_RUN, RETURNED or THREW. */
  state: number;
  /** What the function returned or threw. */
  outcome: unknown;
  /**
   * Calls of `run` after the first: counted while span() runs and reported when it returns
   * or throws (-1 from then on, and a later call is reported by itself).
   */
  again: number;
  run: () => unknown;
}

/** The call of `fn` with `thisArg` and `args` for `backend`, made once whatever the backend does. */
export function shieldCall(backend: Backend, info: SpanInfo, fn: AnyFunction, thisArg: unknown, args: unknown[]): ShieldedCall {
  const call: ShieldedCall = { backend, info, fn, thisArg, args, state: NOT_RUN, outcome: undefined, again: 0, run: shieldedRunPending };
  call.run = shieldedRun(call);
  return call;
}

/** `run` of a record not given its own yet. */
function shieldedRunPending(): unknown {
  return undefined;
}

/**
 * The `run` of `call`, which the backend calls: the function once, its outcome kept. The one
 * closure of a shielded call: the record that holds the call is the wrapper's own (no second
 * record per call), and this is the one penstock frame under the backend's span.
 */
export function shieldedRun(call: ShieldedCall): () => unknown {
  return function run(): unknown {
    if (call.state !== NOT_RUN) return runAgain(call);
    try {
      call.outcome = call.fn.apply(call.thisArg, call.args);
      call.state = RETURNED;
    } catch (error) {
      call.outcome = error;
      call.state = THREW;
      throw error;
    }
    return call.outcome;
  };
}

function runAgain(call: ShieldedCall): unknown {
  if (call.again < 0) reportLateRun();
  else call.again++;
  if (call.state === THREW) throw call.outcome;
  return call.outcome;
}

/** `span()` threw `error`: the caller gets the function's own outcome, run now if need be. */
export function spanThrew(call: ShieldedCall, error: unknown): unknown {
  const { backend, info } = call;
  if (call.again > 0) reportRunAgain(backend, info);
  call.again = -1;
  if (call.state === THREW) {
    // The usual path for a failing function: the backend recorded it and rethrew it.
    if (error !== call.outcome) reportFault("span-threw", error, info);
    throw call.outcome;
  }
  reportFault("span-threw", error, info);
  if (call.state === NOT_RUN) return call.run();
  return call.outcome;
}

/**
 * The usual end of a span, checked before {@link spanReturned}: `run` was called once and
 * `span()` returned its own value, which the caller gets (a 0 or NaN is left to spanReturned's
 * `Object.is`, a builtin call this check spares every other call).
 */
export function handedBack(call: ShieldedCall, returned: unknown): boolean {
  if (returned !== call.outcome || call.state !== RETURNED || call.again !== 0 || returned === 0) return false;
  call.again = -1;
  return true;
}

/** `span()` returned `returned`: the caller gets the function's own outcome, run now if need be. */
export function spanReturned(call: ShieldedCall, returned: unknown): unknown {
  const { backend, info } = call;
  if (call.again > 0) reportRunAgain(backend, info);
  call.again = -1;
  const { state, outcome } = call;
  // A derived promise (settle() makes one) needs a handler, or its rejection would go
  // unhandled: the caller gets the function's own value, never the backend's.
  const derived = returned !== outcome && isThenableSafely(returned);
  if (derived) absorb(returned as PromiseLike<unknown>, call, info);

  if (state === NOT_RUN) {
    reportFault("run-not-called", faultError("run-not-called", backend.name), info);
    return call.run();
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

/**
 * The whole shielded call, for callers that may add frames (the generator path). `naming`: the
 * frame of a root entrypoint whose ID the backend's trace ID replaces (lib/call/wrapper.ts).
 */
export function invokeShielded(backend: Backend, info: SpanInfo, fn: AnyFunction, thisArg: unknown, args: unknown[], naming?: Frame): unknown {
  const call = shieldCall(backend, info, fn, thisArg, args);
  let returned: unknown;
  try {
    returned = backend.span(info, naming === undefined ? call.run : namingRun(call.run, backend, naming));
  } catch (error) {
    return spanThrew(call, error);
  }
  return spanReturned(call, returned);
}

/** span() is over and called `run` more than once. */
function reportRunAgain(backend: Backend, info: SpanInfo): void {
  reportFault("run-called-twice", faultError("run-called-twice", backend.name), info);
}

/**
 * `run` called again after span() returned (kept and called later): reported without the
 * call's SpanInfo, which `run` does not hold, and under the name of the backend configured now.
 */
function reportLateRun(): void {
  reportFault("run-called-twice", faultError("run-called-twice", config.resolved?.name));
}

/** Handles the rejection of a backend's derived promise; only a rejection of its own is a fault. */
function absorb(derived: PromiseLike<unknown>, call: ShieldedCall, info: SpanInfo): void {
  const onRejected = (reason: unknown): void => {
    const own = call.outcome;
    if (call.state === THREW) {
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
