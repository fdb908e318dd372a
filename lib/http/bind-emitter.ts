// The request and response of a flow keep it in their listeners: `data`, `end`, `close`,
// `finish` and `error` are emitted from the socket's context, outside the flow. Each emitter's
// `emit` runs its listeners in the async context the adapter captured inside the request's
// flow (one AsyncResource per request), as OpenTelemetry's HTTP instrumentation and Sentry bind
// req/res to their context. Wrapping `emit` rather than each listener costs one resource per
// request, not one per listener, and leaves listeners(), removeListener() and once() as they are.
import { AsyncResource } from "node:async_hooks";
import { currentFrame } from "../context/frame-store";
import type { Frame } from "../context/frame";

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

interface Bound {
  readonly emit: Emit;
  readonly resource: AsyncResource;
  /** The flow's frame when bound: an event emitted in it already (res.end() in the handler) needs no scope. */
  readonly frame: Frame | undefined;
}

const STATE = Symbol("penstock.boundEmitter");

// Shared by every bound emitter: its own emit and the request's resource are read from `this`.
function emitInFlow(this: { [STATE]: Bound; listenerCount?: (event: string | symbol) => number }, event: string | symbol, ...args: unknown[]): boolean {
  const bound = this[STATE];
  // Most of the events Node emits per request have no listener: nothing to run in the flow.
  if (currentFrame() === bound.frame || this.listenerCount?.(event) === 0) return bound.emit.call(this, event, ...args);
  return bound.resource.runInAsyncScope(bound.emit, this, event, ...args);
}

/** The async context of now (inside the request's flow), for {@link bindEmitterToFlow}. */
export function requestResource(): AsyncResource {
  return new AsyncResource("penstock.request");
}

/**
 * Makes every event `emitter` emits from now on run its listeners in `resource`'s context.
 * Idempotent; an emitter that cannot be patched is left as it is.
 */
export function bindEmitterToFlow(emitter: unknown, resource: AsyncResource): void {
  if (emitter === null || typeof emitter !== "object") return;
  const target = emitter as { emit?: unknown; [STATE]?: Bound };
  try {
    if (target[STATE] !== undefined || typeof target.emit !== "function") return;
    target[STATE] = { emit: target.emit as Emit, resource, frame: currentFrame() };
    target.emit = emitInFlow;
  } catch {
    // A frozen or exotic emitter: its listeners run where the emitter calls them.
  }
}
