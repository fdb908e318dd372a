// The request and response of a flow keep it in their listeners: `data`, `end`, `close`,
// `finish` and `error` are emitted from the socket's context, outside the flow, so each
// listener added while the flow is current is bound to it (as OpenTelemetry's HTTP
// instrumentation and Sentry bind req/res to their context).
import { AsyncResource } from "node:async_hooks";
import { currentFrame } from "../context/frame-store";

type Listener = (...args: unknown[]) => unknown;
type Adder = (this: Emitter, event: string | symbol, listener: Listener) => unknown;
type Remover = Adder;

interface Emitter {
  on: Adder;
  addListener: Adder;
  once: Adder;
  prependListener: Adder;
  prependOnceListener: Adder;
  off?: Remover;
  removeListener: Remover;
}

const ADDERS = ["on", "addListener", "once", "prependListener", "prependOnceListener"] as const;
const REMOVERS = ["off", "removeListener"] as const;

/** Per emitter: its own methods, and the bound twin of each listener (so removeListener finds it). */
interface BindState {
  readonly originals: Record<string, Adder | undefined>;
  readonly bound: WeakMap<Listener, Listener>;
  /** Inside one of the emitter's own methods: `once` adds through `on`, which must not bind again. */
  depth: number;
}

const STATE = Symbol("penstock.boundEmitter");

function bind(listener: Listener): Listener {
  const resource = new AsyncResource("penstock.requestListener");
  const twin = function (this: unknown, ...args: unknown[]): unknown {
    return resource.runInAsyncScope(listener, this, ...args);
  };
  // What EventEmitter reads to show and remove a wrapped listener (as it does for once()).
  (twin as { listener?: Listener }).listener = listener;
  return twin;
}

function callOriginal(target: Emitter, state: BindState, original: Adder, event: string | symbol, listener: Listener): unknown {
  state.depth++;
  try {
    return original.call(target, event, listener);
  } finally {
    state.depth--;
  }
}

// Shared by every bound emitter: the per-emitter state is read from `this`, so binding a
// request allocates one state record, not a closure per method.
function adder(method: (typeof ADDERS)[number]): Adder {
  return function (this: Emitter, event, listener) {
    const state = (this as Emitter & { [STATE]: BindState })[STATE];
    const original = state.originals[method]!;
    if (state.depth > 0 || typeof listener !== "function" || currentFrame() === undefined) return callOriginal(this, state, original, event, listener);
    let twin = state.bound.get(listener);
    if (twin === undefined) state.bound.set(listener, (twin = bind(listener)));
    return callOriginal(this, state, original, event, twin);
  };
}

function remover(method: (typeof REMOVERS)[number]): Remover {
  return function (this: Emitter, event, listener) {
    const state = (this as Emitter & { [STATE]: BindState })[STATE];
    const twin = typeof listener === "function" ? state.bound.get(listener) : undefined;
    return callOriginal(this, state, state.originals[method]!, event, twin ?? listener);
  };
}

const PATCHED: Record<string, Adder> = {};
for (const method of ADDERS) PATCHED[method] = adder(method);
for (const method of REMOVERS) PATCHED[method] = remover(method);

/**
 * Makes every listener added to `emitter` while a flow is current run in the flow context of
 * the moment it was added. Idempotent; an emitter that cannot be patched is left as it is.
 */
export function bindEmitterToFlow(emitter: unknown): void {
  if (emitter === null || typeof emitter !== "object") return;
  const target = emitter as Emitter & { [STATE]?: BindState };
  try {
    if (target[STATE] !== undefined || typeof target.on !== "function") return;
    const originals: Record<string, Adder | undefined> = {};
    for (const method of [...ADDERS, ...REMOVERS]) originals[method] = target[method];
    Object.defineProperty(target, STATE, { value: { originals, bound: new WeakMap(), depth: 0 } satisfies BindState });
    for (const method of [...ADDERS, ...REMOVERS]) {
      if (typeof originals[method] === "function") Object.defineProperty(target, method, { value: PATCHED[method], writable: true, configurable: true });
    }
  } catch {
    // A frozen or exotic emitter: its listeners run where the emitter calls them.
  }
}
