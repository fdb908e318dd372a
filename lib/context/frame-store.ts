// The store that carries the flow context across async calls (internal). On Node versions
// whose AsyncLocalStorage is built on async hooks (Node 20, and 22 by default), penstock keeps
// its frame as a property of the current async resource itself, exactly as an
// AsyncLocalStorage does there, but read and written from penstock's own code. Why: each
// AsyncLocalStorage keys the resource by its own symbol from the same code in
// node:async_hooks, so a second instance in the process (OpenTelemetry's context manager,
// any framework's) makes those accesses megamorphic for every instance: 120-150 ns more per
// nested call on this project's machine (bench/two-als.mjs). Under a key only penstock's code
// uses, both stay monomorphic. Where AsyncLocalStorage is built on AsyncContextFrame (Node 24
// by default) there is no such cost, and AsyncLocalStorage, which needs no process-wide hook,
// is used as it is.
import { AsyncLocalStorage, createHook, executionAsyncResource } from "node:async_hooks";
import type { Frame } from "./frame";
import type { AnyFunction, Backend, SpanInfo } from "../types";

/** How a wrapper hands one call to the backend (invokeTraced or invokeIterating). */
export type Invoke = (backend: Backend, info: SpanInfo, fn: AnyFunction, thisArg: unknown, args: unknown[]) => unknown;

export interface FrameStorage {
  /** The frame of the running flow call, or undefined outside any flow. */
  getStore(): Frame | undefined;
  /** Runs `fn` with `frame` current, for it and everything it starts. */
  run<R>(frame: Frame, fn: () => R): R;
  /**
   * `run` for the wrapper's hot path: `invoke(backend, info, fn, thisArg, args)` with `frame`
   * current. Fixed arguments, so that no array is made per call to pass them on.
   */
  runInvoke(frame: Frame, invoke: Invoke, backend: Backend, info: SpanInfo, fn: AnyFunction, thisArg: unknown, args: unknown[]): unknown;
}

type Resource = Record<symbol, Frame | undefined>;

/** The frame as a property of the current async resource, under penstock's own symbol. */
export class ResourceFrameStorage implements FrameStorage {
  readonly #key = Symbol("penstock.frame");
  readonly #hook;
  #enabled = false;

  constructor() {
    const key = this.#key;
    // What AsyncLocalStorage's own hook does on these versions: a new resource (a promise, a
    // timer, an AsyncResource) starts with the frame current where it was created.
    this.#hook = createHook({
      init(_asyncId, _type, _triggerAsyncId, resource) {
        (resource as Resource)[key] = (executionAsyncResource() as Resource)[key];
      },
    });
  }

  getStore(): Frame | undefined {
    return (executionAsyncResource() as Resource)[this.#key];
  }

  run<R>(frame: Frame, fn: () => R): R {
    const resource = this.#enter();
    const outer = resource[this.#key];
    resource[this.#key] = frame;
    try {
      return fn();
    } finally {
      resource[this.#key] = outer;
    }
  }

  runInvoke(frame: Frame, invoke: Invoke, backend: Backend, info: SpanInfo, fn: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
    const resource = this.#enter();
    const outer = resource[this.#key];
    resource[this.#key] = frame;
    try {
      return invoke(backend, info, fn, thisArg, args);
    } finally {
      resource[this.#key] = outer;
    }
  }

  /** The current resource; the hook is enabled on first use, as AsyncLocalStorage's is. */
  #enter(): Resource {
    if (!this.#enabled) {
      this.#hook.enable();
      this.#enabled = true;
    }
    return executionAsyncResource() as Resource;
  }
}

/** Node's AsyncLocalStorage, where it is built on AsyncContextFrame. */
export class ContextFrameStorage implements FrameStorage {
  readonly #storage = new AsyncLocalStorage<Frame>();

  getStore(): Frame | undefined {
    return this.#storage.getStore();
  }

  run<R>(frame: Frame, fn: () => R): R {
    return this.#storage.run(frame, fn);
  }

  runInvoke(frame: Frame, invoke: Invoke, backend: Backend, info: SpanInfo, fn: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
    return this.#storage.run(frame, invoke, backend, info, fn, thisArg, args);
  }
}

/** True when AsyncLocalStorage keys async resources by a symbol of its own (its async-hooks build). */
function keysResources(): boolean {
  return typeof (new AsyncLocalStorage() as unknown as { kResourceStore?: unknown }).kResourceStore === "symbol";
}

export function createFrameStorage(): FrameStorage {
  return keysResources() ? new ResourceFrameStorage() : new ContextFrameStorage();
}
