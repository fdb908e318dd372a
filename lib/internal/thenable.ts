// Telling promises from plain values, for the call path and the backends alike.

/** True for anything with a callable `then`: native promises and other thenables. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** `isThenable`, false for a value whose `then` getter throws: not a thenable penstock will touch. */
export function isThenableSafely(value: unknown): boolean {
  try {
    return isThenable(value);
  } catch {
    return false;
  }
}

/** True for a native promise (not a subclass, not another thenable). */
export function isNativePromise(value: unknown): value is Promise<unknown> {
  return value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Promise.prototype;
}
