// Test support: capture what a call throws, to assert on PenstockError codes and messages.
import { PenstockError } from "../../lib";

export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw, but it returned");
}

export function penstockErrorOf(fn: () => unknown): PenstockError {
  const error = thrownBy(fn);
  if (!(error instanceof PenstockError)) throw new Error(`expected a PenstockError, got ${String(error)}`);
  return error;
}
