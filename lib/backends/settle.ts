// settle(): end a span when a result settles, so custom backends need no promise handling.

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
