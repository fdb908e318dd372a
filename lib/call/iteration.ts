// Spans that cover an iteration: a wrapped generator function (sync or async) is traced from
// the call until its iteration ends, not just until the call returns its iterator.
//
// How: the backend is handed a promise that settles when the iteration ends (so any backend
// that follows the settle() contract ends its span then, with no new backend member), and the
// caller gets a wrapper iterator whose next/return/throw resume the generator inside the
// contexts that were active when the backend ran the call: penstock's flow frame and the
// backend's own (the OpenTelemetry active span), both captured by one AsyncResource.
import { AsyncResource } from "node:async_hooks";
import { invokeShielded } from "./shield";
import type { Frame } from "../context/frame";
import type { AnyFunction, Backend, SpanInfo } from "../types";

const GENERATOR_TAGS = new Set(["GeneratorFunction", "AsyncGeneratorFunction"]);

/** True for a native `function*` or `async function*`; checked once, at wrap time. */
export function isGeneratorFunction(fn: AnyFunction): boolean {
  return GENERATOR_TAGS.has((fn as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] as string);
}

/** The error a span ends with when its iteration was dropped unfinished and garbage collected. */
export class AbandonedIterationError extends Error {
  constructor(step: string) {
    super(`The iteration of "${step}" was abandoned: its iterator was garbage collected before it finished.`);
    this.name = "PenstockAbandonedIteration";
  }
}

/** True for the error of an abandoned iteration (from any copy of penstock). */
export function isAbandonedIteration(error: unknown): boolean {
  return error instanceof Error && error.name === "PenstockAbandonedIteration";
}

/** The end of one iteration. Holds nothing of the iterator, so that it can be collected. */
interface Ending {
  readonly done: Promise<void>;
  finished: boolean;
  resolve(): void;
  reject(error: unknown): void;
  readonly step: string;
}

function ending(step: string): Ending {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // The caller never sees this promise: its rejection is for the backend alone.
  done.catch(() => undefined);
  return { done, finished: false, resolve, reject, step };
}

function finish(end: Ending, error?: unknown, failed = false): void {
  if (end.finished) return;
  end.finished = true;
  abandoned.unregister(end);
  if (failed) end.reject(error);
  else end.resolve();
}

// An iterator dropped before it finished ends its span as abandoned, when (if ever) it is collected.
const abandoned = new FinalizationRegistry<Ending>((end) => {
  if (!end.finished) finish(end, new AbandonedIterationError(end.step), true);
});

type Step = IteratorResult<unknown>;
type AnyIterator = Iterator<unknown> & { return?(value?: unknown): Step; throw?(error?: unknown): Step };
type AnyAsyncIterator = AsyncIterator<unknown> & { return?(value?: unknown): Promise<Step>; throw?(error?: unknown): Promise<Step> };
type Method = "next" | "return" | "throw";

function syncWrapper(iterator: AnyIterator, scope: AsyncResource, end: Ending): Generator<unknown, unknown, unknown> {
  const resume = (method: Method, value: unknown): Step => {
    let result: Step;
    try {
      result = scope.runInAsyncScope(iterator[method] as (value: unknown) => Step, iterator, value);
    } catch (error) {
      finish(end, error, true);
      throw error;
    }
    if (result.done) finish(end);
    return result;
  };
  const wrapper = {
    next: (value?: unknown) => resume("next", value),
    return: (value?: unknown) => resume("return", value),
    throw: (error?: unknown) => resume("throw", error),
    [Symbol.iterator]() {
      return wrapper;
    },
    [Symbol.toStringTag]: "Generator",
  };
  return wrapper as unknown as Generator<unknown, unknown, unknown>;
}

function asyncWrapper(iterator: AnyAsyncIterator, scope: AsyncResource, end: Ending): AsyncGenerator<unknown, unknown, unknown> {
  const resume = (method: Method, value: unknown): Promise<Step> => {
    let pending: Promise<Step>;
    try {
      pending = scope.runInAsyncScope(iterator[method] as (value: unknown) => Promise<Step>, iterator, value);
    } catch (error) {
      // Native async generators never throw here; reject as they would.
      finish(end, error, true);
      return Promise.reject(error);
    }
    return Promise.resolve(pending).then(
      (result) => {
        if (result.done) finish(end);
        return result;
      },
      (error: unknown) => {
        finish(end, error, true);
        throw error;
      },
    );
  };
  const wrapper = {
    next: (value?: unknown) => resume("next", value),
    return: (value?: unknown) => resume("return", value),
    throw: (error?: unknown) => resume("throw", error),
    [Symbol.asyncIterator]() {
      return wrapper;
    },
    [Symbol.toStringTag]: "AsyncGenerator",
  };
  return wrapper as unknown as AsyncGenerator<unknown, unknown, unknown>;
}

/**
 * The shielded call (lib/call/shield.ts) for a generator function. The function runs exactly once, as any
 * other; the backend sees a promise of the iteration's end; the caller gets a wrapper
 * iterator (not the generator object itself: the one exception to identity).
 */
export function invokeIterating(backend: Backend, info: SpanInfo, fn: AnyFunction, thisArg: unknown, args: unknown[], naming: Frame | undefined): unknown {
  // A box, emptied below: the backend's promise chain keeps `start` alive until the iteration
  // ends, and must not keep the wrapper alive with it (an abandoned one must be collectable).
  const box: { wrapper: unknown } = { wrapper: undefined };
  const start = function (this: unknown, ...callArgs: unknown[]): Promise<void> {
    const iterator = fn.apply(this, callArgs) as AnyIterator | AnyAsyncIterator;
    // Created here, inside the backend's span(): it captures the flow frame and the span.
    const scope = new AsyncResource("penstock.iteration");
    const end = ending(info.step);
    const isAsync = typeof (iterator as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function";
    const wrapper = isAsync ? asyncWrapper(iterator as AnyAsyncIterator, scope, end) : syncWrapper(iterator as AnyIterator, scope, end);
    abandoned.register(wrapper, end, end);
    box.wrapper = wrapper;
    return end.done;
  };
  invokeShielded(backend, info, start, thisArg, args, naming);
  const wrapper = box.wrapper;
  box.wrapper = undefined;
  return wrapper;
}
