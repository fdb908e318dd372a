// The store that carries the flow context across async calls. On Node versions whose
// AsyncLocalStorage is built on async hooks (Node 20, and 22 by default), penstock keeps its
// frame as a property of the current async resource itself, exactly as an AsyncLocalStorage
// does there, but read and written from penstock's own code: a second AsyncLocalStorage in
// the process (OpenTelemetry's context manager) would otherwise make those keyed accesses
// megamorphic for every instance (docs/performance.md, bench/two-als.mjs). Where
// AsyncLocalStorage is built on AsyncContextFrame (Node 24 by default), and on Bun and Deno, it
// is used as it is. Where it has no `enterWith` (Cloudflare Workers), a store built on `run()`
// alone (run-only-frame-store.ts). The module namespace is read member by member, so a runtime
// that lacks one (createHook) still imports penstock.
import * as asyncHooks from "node:async_hooks";
import { globalSingleton } from "../internal/global";
import type { Frame } from "./frame";
import { RunOnlyFrameStorage } from "./run-only-frame-store";
import { SwitchingFrameStore } from "./switching-frame-store";

const { AsyncLocalStorage, createHook, executionAsyncResource } = asyncHooks;

export interface FrameStore {
  /** The frame of the running flow call, or undefined outside any flow. */
  getStore(): Frame | undefined;
  /** Runs `fn` with `frame` current, for it and everything it starts. */
  run<R>(frame: Frame, fn: () => R): R;
  /**
   * `run` for the wrapper's hot path, without a function of its own on the stack (so that a
   * wrapped call adds few frames to a stack trace): makes `frame` current and returns the
   * outer frame, which the caller hands to `exit` in a `finally` of the same synchronous call.
   */
  enter(frame: Frame): Frame | undefined;
  /**
   * `enter` when the caller has just read the current frame (`outer`, from `getStore`), on a
   * store where reading it again costs a lookup (AsyncContextFrame): present only there.
   */
  enterOver?(frame: Frame, outer: Frame | undefined): Frame | undefined;
  exit(outer: Frame | undefined): void;
  /**
   * Present only on a store whose `enter` works inside a scope of the call's own (the run-only
   * store): the wrapper applies it once, at wrap time, to the function a wrapped call runs.
   */
  inScope?<F extends (this: unknown, ...args: unknown[]) => unknown>(call: F): F;
}

type Resource = Record<symbol, Frame | undefined>;

/** The frame as a property of the current async resource, under penstock's own symbol. */
export class ResourceFrameStorage implements FrameStore {
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
    const outer = this.enter(frame);
    try {
      return fn();
    } finally {
      this.exit(outer);
    }
  }

  enter(frame: Frame): Frame | undefined {
    // The hook is enabled on first use, as AsyncLocalStorage's is.
    if (!this.#enabled) {
      this.#hook.enable();
      this.#enabled = true;
    }
    const resource = executionAsyncResource() as Resource;
    const outer = resource[this.#key];
    resource[this.#key] = frame;
    return outer;
  }

  // The current resource is the one `enter` wrote to: a synchronous call leaves it as it found it.
  exit(outer: Frame | undefined): void {
    (executionAsyncResource() as Resource)[this.#key] = outer;
  }
}

/**
 * Node's AsyncLocalStorage, where it is built on AsyncContextFrame. `enter`/`exit` are two
 * `enterWith` calls: each makes a new frame map as `run` does, at the cost of one `run`
 * (docs/performance.md), without `run`'s own stack frame.
 */
export class ContextFrameStorage implements FrameStore {
  readonly #storage = new AsyncLocalStorage<Frame>();

  getStore(): Frame | undefined {
    return this.#storage.getStore();
  }

  run<R>(frame: Frame, fn: () => R): R {
    return this.#storage.run(frame, fn);
  }

  enter(frame: Frame): Frame | undefined {
    const outer = this.#storage.getStore();
    this.#storage.enterWith(frame);
    return outer;
  }

  enterOver(frame: Frame, outer: Frame | undefined): Frame | undefined {
    this.#storage.enterWith(frame);
    return outer;
  }

  exit(outer: Frame | undefined): void {
    this.#storage.enterWith(outer as Frame);
  }
}

/** True when AsyncLocalStorage keys async resources by a symbol of its own (its async-hooks build). */
function keysResources(): boolean {
  return typeof (new AsyncLocalStorage() as unknown as { kResourceStore?: unknown }).kResourceStore === "symbol";
}

/** True when AsyncLocalStorage has a working `enterWith` (Workers have the method, which throws). */
function entersWith(): boolean {
  const probe = new AsyncLocalStorage<number>();
  try {
    // Inside run(), so the probe's store is gone again when run() returns.
    return probe.run(0, () => {
      probe.enterWith(1);
      return probe.getStore() === 1;
    });
  } catch {
    return false;
  }
}

/** True when async hooks can be created here (a runtime may offer createHook as a stub that throws). */
function hooksWork(): boolean {
  try {
    createHook({}).disable();
    return typeof executionAsyncResource() === "object";
  } catch {
    return false;
  }
}

export function createFrameStorage(): FrameStore {
  if (typeof createHook === "function" && typeof executionAsyncResource === "function" && keysResources() && hooksWork()) return new ResourceFrameStorage();
  return entersWith() ? new ContextFrameStorage() : new RunOnlyFrameStorage();
}

/**
 * The one frame store of the process, shared by every copy of penstock: its own store, or the
 * context of a backend that carries frames (OpenTelemetry's; lib/context/switching-frame-store.ts).
 */
export const frames: SwitchingFrameStore = globalSingleton("frames@2", () => new SwitchingFrameStore(createFrameStorage()));

/** The frame of the running flow call, or undefined outside any flow. */
export function currentFrame(): Frame | undefined {
  return frames.getStore();
}
