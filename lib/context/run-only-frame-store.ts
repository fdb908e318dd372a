// The frame store for runtimes whose AsyncLocalStorage has `run()` but no `enterWith()`
// (Cloudflare Workers under nodejs_compat). There `enter` cannot make a frame current for the
// async work a call starts, so each wrapped call runs in a scope of its own (`inScope`, applied
// once by the wrapper at wrap time): `enter` writes the call's frame into that scope, and the
// scope ends with the call, so `exit` has nothing to undo. Promises, timers and microtasks
// started in the call capture the scope, and with it the call's frame.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Frame } from "./frame";
import type { FrameStore } from "./frame-store";

/** One wrapped call's scope: the parent's frame until `enter` replaces it with the call's own. */
interface Scope {
  frame: Frame | undefined;
}

export class RunOnlyFrameStorage implements FrameStore {
  readonly #storage = new AsyncLocalStorage<Scope>();

  getStore(): Frame | undefined {
    return this.#storage.getStore()?.frame;
  }

  run<R>(frame: Frame, fn: () => R): R {
    return this.#storage.run({ frame }, fn);
  }

  /** Only inside `inScope`: makes `frame` the scope's frame, for the rest of the wrapped call. */
  enter(frame: Frame): Frame | undefined {
    const scope = this.#storage.getStore();
    const outer = scope?.frame;
    if (scope !== undefined) scope.frame = frame;
    return outer;
  }

  // The scope is the call's own and ends when the call returns: its continuations keep the frame.
  exit(): void {}

  inScope<F extends (this: unknown, ...args: unknown[]) => unknown>(call: F): F {
    const storage = this.#storage;
    return function (this: unknown, ...args: unknown[]): unknown {
      return storage.run({ frame: storage.getStore()?.frame }, () => call.apply(this, args));
    } as F;
  }
}
