// The backends penstock ships that guard their own faults: their span() calls run exactly
// once, synchronously, returns what it returns and never throws anything else. The wrapper
// hands them the call itself instead of a shielded `run` (lib/call/shield.ts), so that a
// wrapped call costs one frame fewer in a stack trace. Kept in the global slot, so that a
// backend made by one copy of penstock is trusted by another; a WeakSet, so it cannot be faked.
import { globalSingleton } from "../internal/global";
import type { AnyFunction, Backend, SpanInfo } from "../types";

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

/**
 * A trusted backend's span that calls the function itself, `fn.apply(thisArg, args)`, instead
 * of a `run` made for it: the wrapper calls it with the call's own function and arguments, so
 * no bound function is made per call (a bound call costs some 60 ns more than a plain one) and
 * no frame of a `run` is added to a stack trace.
 */
export type DirectSpan = (call: DirectCall) => unknown;

/** What a direct span is given: the call's SpanInfo, its function, `this` and arguments. */
export interface DirectCall {
  readonly info: SpanInfo;
  readonly fn: AnyFunction;
  readonly thisArg: unknown;
  readonly args: unknown[];
}

const DIRECT = Symbol.for("penstock.directSpan@1");

/** Gives a trusted backend its direct span; returns it. */
export function withDirectSpan<B extends Backend>(backend: B, direct: DirectSpan): B {
  Object.defineProperty(backend, DIRECT, { value: direct, enumerable: false });
  return backend;
}

/** The direct span of a trusted backend, or undefined. */
export function directSpanOf(backend: Backend): DirectSpan | undefined {
  return isTrustedBackend(backend) ? (backend as unknown as Record<symbol, DirectSpan | undefined>)[DIRECT] : undefined;
}
