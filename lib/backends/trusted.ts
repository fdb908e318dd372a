// The backends penstock ships that guard their own faults: their span() calls run exactly
// once, synchronously, returns what it returns and never throws anything else. The wrapper
// hands them the call itself instead of a shielded `run` (lib/call/shield.ts), so that a
// wrapped call costs one frame fewer in a stack trace. Kept in the global slot, so that a
// backend made by one copy of penstock is trusted by another; a WeakSet, so it cannot be faked.
import { globalSingleton } from "../internal/global";
import type { Backend } from "../types";

const trusted: WeakSet<Backend> = globalSingleton("trustedBackends@1", () => new WeakSet<Backend>());

/** Marks a built-in backend as guarding its own faults; returns it. */
export function trustBackend<B extends Backend>(backend: B): B {
  trusted.add(backend);
  return backend;
}

/** True for a backend made by {@link trustBackend}. */
export function isTrustedBackend(backend: Backend): boolean {
  return trusted.has(backend);
}
