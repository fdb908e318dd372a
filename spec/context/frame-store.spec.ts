// The two stores of the flow context (lib/frame-storage.ts) keep the same contract: the one
// penstock uses where AsyncLocalStorage is built on async hooks (this Node), and the one it
// uses where AsyncLocalStorage is built on AsyncContextFrame (Node 24), run here on Node's
// AsyncLocalStorage as it is.
import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";
import { EventEmitter } from "node:events";
import { ContextFrameStorage, createFrameStorage, ResourceFrameStorage, type FrameStorage } from "../../lib/context/frame-store";
import { shared } from "../../lib/internal/global";
import type { Frame } from "../../lib/context/frame";
import type { Backend, SpanInfo } from "../../lib/types";

function frame(step: string): Frame {
  return { correlationId: `id-${step}`, provisional: false, flow: "f", step, spanId: undefined, home: undefined, values: undefined };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

test("penstock keeps its frame on the async resource where AsyncLocalStorage does (async hooks), in AsyncLocalStorage otherwise", () => {
  const hooked = typeof (new AsyncLocalStorage() as unknown as { kResourceStore?: unknown }).kResourceStore === "symbol";
  expect(createFrameStorage()).toBeInstanceOf(hooked ? ResourceFrameStorage : ContextFrameStorage);
  expect(shared.storage).toBeInstanceOf(hooked ? ResourceFrameStorage : ContextFrameStorage);
});

describe.each<[string, () => FrameStorage]>([
  ["on the async resource", () => new ResourceFrameStorage()],
  ["in AsyncLocalStorage", () => new ContextFrameStorage()],
])("the frame store %s", (_label, make) => {
  let storage: FrameStorage;
  beforeEach(() => {
    storage = make();
  });

  test("has no frame outside run; run sets it, restores the outer one, also when fn throws", () => {
    const a = frame("a");
    const b = frame("b");
    expect(storage.getStore()).toBeUndefined();
    const seen = storage.run(a, () => {
      const inner = storage.run(b, () => storage.getStore());
      expect(() => storage.run(b, () => {
        throw new Error("x");
      })).toThrow("x");
      return [inner, storage.getStore()];
    });
    expect(seen).toEqual([b, a]);
    expect(storage.getStore()).toBeUndefined();
  });

  test("runInvoke hands exactly its five arguments on, returns the result, and sets the frame for the call", () => {
    const a = frame("a");
    const backend = { name: "b" } as Backend;
    const info = { step: "a" } as SpanInfo;
    const fn = (): number => 1;
    const self = {};
    const args = [1, 2];
    const result = storage.runInvoke(a, function (...received: unknown[]) {
      expect(received).toEqual([backend, info, fn, self, args]);
      expect(received[0]).toBe(backend);
      return storage.getStore();
    }, backend, info, fn, self, args);
    expect(result).toBe(a);
    expect(storage.getStore()).toBeUndefined();
  });

  test("follows the frame through await, timers, setImmediate, nextTick, queueMicrotask and promise callbacks", async () => {
    const a = frame("a");
    const seen = await storage.run(a, async () => {
      const found: (Frame | undefined)[] = [];
      await tick();
      found.push(storage.getStore());
      await new Promise<void>((resolve) => setImmediate(() => (found.push(storage.getStore()), resolve())));
      await new Promise<void>((resolve) => process.nextTick(() => (found.push(storage.getStore()), resolve())));
      await new Promise<void>((resolve) => queueMicrotask(() => (found.push(storage.getStore()), resolve())));
      await Promise.resolve().then(() => found.push(storage.getStore()));
      return found;
    });
    expect(seen).toEqual([a, a, a, a, a]);
  });

  test("keeps concurrent runs apart", async () => {
    const runs = Array.from({ length: 50 }, (_, i) => frame(`s${i}`));
    const seen = await Promise.all(runs.map((f, i) => storage.run(f, async () => {
      await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
      const first = storage.getStore();
      await tick();
      return [first, storage.getStore()];
    })));
    expect(seen).toEqual(runs.map((f) => [f, f]));
  });

  test("an AsyncResource made inside a run carries the frame to wherever it runs", async () => {
    const a = frame("a");
    const emitter = new EventEmitter();
    const resource = storage.run(a, () => new AsyncResource("test"));
    const seen = new Promise((resolve) => emitter.on("go", () => resolve(resource.runInAsyncScope(() => storage.getStore()))));
    emitter.emit("go");
    expect(await seen).toBe(a);
    expect(storage.getStore()).toBeUndefined();
  });

  test("is independent of any AsyncLocalStorage in the process, nested either way", async () => {
    const other = new AsyncLocalStorage<string>();
    const a = frame("a");
    const seen = await other.run("outer", () => storage.run(a, () => other.run("inner", async () => {
      await tick();
      return [other.getStore(), storage.getStore()];
    })));
    expect(seen).toEqual(["inner", a]);
    expect(other.getStore()).toBeUndefined();
  });
});
