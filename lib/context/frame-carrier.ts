// A backend whose own context can carry penstock's frame (OpenTelemetry's Context, lib/otel/
// otel-frames.ts). While such a backend is in use, each traced call enters its span and its
// frame in one context switch of that backend's, and penstock's own store (and, on Node 20
// and 22, its process-wide async hook) stays unused: one context in the process, not two.
import type { Frame } from "./frame";
import type { Backend } from "../types";

/** The property of a backend record that holds its carrier (not enumerable; in the global registry, so every copy of penstock reads it). */
export const FRAME_CARRIER = Symbol.for("penstock.frameCarrier@1");

export interface FrameCarrier {
  /** The frame in the backend's active context, or undefined (none there, or no context manager). */
  current(): Frame | undefined;
  /**
   * Runs `fn` with `frame` current in the backend's context (runInFlow: no span), or returns
   * `fallback(frame, fn)` when that context cannot carry it (no context manager registered).
   */
  run<R>(frame: Frame, fn: () => R, fallback: (frame: Frame, fn: () => R) => R): R;
}

/** The carrier of `backend`, or undefined for a backend without one (logging, a custom record). */
export function carrierOf(backend: Backend | undefined): FrameCarrier | undefined {
  return backend === undefined ? undefined : ((backend as unknown as Record<symbol, FrameCarrier | undefined>)[FRAME_CARRIER]);
}

/** Gives `backend` a carrier (a property that a spread copy of the record does not keep: set it again on the copy). */
export function setCarrier<B extends Backend>(backend: B, carrier: FrameCarrier | undefined): B {
  if (carrier !== undefined) Object.defineProperty(backend, FRAME_CARRIER, { value: carrier, enumerable: false, configurable: true });
  return backend;
}
