// The two stores of the flow context (lib/context/frame-store.ts) keep the same contract: the one
// penstock uses where AsyncLocalStorage is built on async hooks (this Node), and the one it
// uses where AsyncLocalStorage is built on AsyncContextFrame (Node 24), run here on Node's
// AsyncLocalStorage as it is.
import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";
import { EventEmitter } from "node:events";
import { ContextFrameStorage, createFrameStorage, frames, ResourceFrameStorage, type FrameStore } from "../../lib/context/frame-store";
import type { Frame } from "../../lib/context/frame";

function frame(step: string): Frame {
  return { correlationId: `id-${step}`, flow: "f", step, spanId: undefined, home: undefined, values: undefined };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

test("penstock keeps its frame on the async resource where AsyncLocalStorage does (async hooks), in AsyncLocalStorage otherwise", () => {
  const hooked = typeof (new AsyncLocalStorage() as unknown as { kResourceStore?: unknown }).kResourceStore === "symbol";
  expect(createFrameStorage()).toBeInstanceOf(hooked ? ResourceFrameStorage : ContextFrameStorage);
  expect(frames.own).toBeInstanceOf(hooked ? ResourceFrameStorage : ContextFrameStorage);
});

describe.each<[string, () => FrameStore]>([
  ["on the async resource", () => new ResourceFrameStorage()],
  ["in AsyncLocalStorage", () => new ContextFrameStorage()],
])("the frame store %s", (_label, make) => {
  let storage: FrameStore;
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

  test("enter makes a frame current and returns the outer one; exit restores it, for the code after and what it starts", async () => {
    const a = frame("a");
    const b = frame("b");
    expect(storage.enter(a)).toBeUndefined();
    let later: Promise<Frame | undefined>;
    try {
      const outer = storage.enter(b);
      expect(outer).toBe(a);
      try {
        later = Promise.resolve().then(() => storage.getStore());
        expect(storage.getStore()).toBe(b);
      } finally {
        storage.exit(outer);
      }
      expect(storage.getStore()).toBe(a);
    } finally {
      storage.exit(undefined);
    }
    expect(storage.getStore()).toBeUndefined();
    // A continuation started inside keeps the frame of its start, not the one restored.
    await expect(later!).resolves.toBe(b);
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
