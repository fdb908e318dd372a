// Where AsyncLocalStorage has run() but no working enterWith() and no async hooks (Cloudflare
// Workers under nodejs_compat), penstock still imports and carries one flow through every
// async continuation: here Node's node:async_hooks is replaced by one shaped like Workers'
// (enterWith throws "not implemented", createHook and executionAsyncResource are missing),
// and penstock is used through its public entry. spec/runtimes/ runs the same on workerd itself.
jest.mock("node:async_hooks", () => {
  const actual = jest.requireActual<typeof import("node:async_hooks")>("node:async_hooks");
  // Composed, not extended: Node 24's own run() calls this.enterWith().
  class WorkersAsyncLocalStorage<T> {
    readonly #storage = new actual.AsyncLocalStorage<T>();
    run<R>(store: T, fn: () => R): R {
      return this.#storage.run(store, fn);
    }
    getStore(): T | undefined {
      return this.#storage.getStore();
    }
    enterWith(): void {
      throw new Error("asyncLocalStorage.enterWith() is not implemented");
    }
  }
  return { AsyncLocalStorage: WorkersAsyncLocalStorage, AsyncResource: actual.AsyncResource };
});

import { configure, currentFlowId, entrypoint, getFlowContext, getFlowValue, runInFlow, setFlowValue, step } from "../../lib/index";
import { createFrameStorage, frames } from "../../lib/context/frame-store";
import { RunOnlyFrameStorage } from "../../lib/context/run-only-frame-store";
import { recordingBackend, resetPenstock } from "../../lib/testing";

const later = <T>(value: () => T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value()), 1));
const seen = (): string => `${currentFlowId()}/${getFlowContext()?.step}`;

beforeEach(() => {
  resetPenstock();
  configure(recordingBackend());
});

test("without enterWith penstock picks the run-only store", () => {
  expect(createFrameStorage()).toBeInstanceOf(RunOnlyFrameStorage);
  expect(frames.own).toBeInstanceOf(RunOnlyFrameStorage);
});

test("one flow and the running step through await, setTimeout, queueMicrotask and .then", async () => {
  const load = step("load", async () => {
    const before = seen();
    await null;
    const timer = await later(seen);
    const micro = await new Promise<string>((resolve) => queueMicrotask(() => resolve(seen())));
    const then = await Promise.resolve().then(seen);
    return [before, timer, micro, then, seen()];
  }, { flow: "orders" });
  const place = entrypoint("place", async () => {
    const inner = await load();
    return { id: currentFlowId(), inner, after: seen() };
  }, { flow: "orders" });

  const { id, inner, after } = await place();
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(inner).toEqual(Array(5).fill(`${id}/load`));
  expect(after).toBe(`${id}/place`);
  expect(currentFlowId()).toBeUndefined();
});

test("concurrent flows keep apart, and flow values stay with their flow", async () => {
  const read = step("read", async () => {
    await later(() => undefined);
    return { id: currentFlowId(), n: getFlowValue<number>("n") };
  }, { flow: "many" });
  const start = entrypoint("start", async (n: number) => {
    setFlowValue("n", n);
    await later(() => undefined);
    return { own: currentFlowId(), ...(await read()) };
  }, { flow: "many" });

  const results = await Promise.all(Array.from({ length: 50 }, (_, n) => start(n)));
  expect(new Set(results.map((result) => result.own)).size).toBe(50);
  results.forEach((result, n) => expect(result).toEqual({ own: result.own, id: result.own, n }));
});

test("runInFlow continues an inbound ID, and a sync step after it sees the ID too", () => {
  const sync = step("sync", () => seen(), { flow: "inbound" });
  const begin = entrypoint("begin", () => [seen(), sync(), seen()], { flow: "inbound" });
  expect(runInFlow({ correlationId: "req-42" }, begin)).toEqual(["req-42/begin", "req-42/sync", "req-42/begin"]);
});
