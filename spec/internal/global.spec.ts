// The global slot: each owner's member is made once per process and shared by every copy of
// penstock (here: a second copy of the modules loaded with jest.isolateModules).
import { GLOBAL_KEY, globalSingleton } from "../../lib/internal/global";
import { config } from "../../lib/config/state";
import { frames } from "../../lib/context/frame-store";

test("a member is made by the first copy that asks for it and shared by the next", () => {
  let made = 0;
  const first = globalSingleton("spec.counter@1", () => ({ made: ++made }));
  const second = globalSingleton("spec.counter@1", () => ({ made: ++made }));
  expect(second).toBe(first);
  expect(made).toBe(1);
});

test("another version of a member is another member: copies that disagree on its shape keep apart", () => {
  const v1 = globalSingleton("spec.shape@1", () => ({ v: 1 }));
  const v2 = globalSingleton("spec.shape@2", () => ({ v: 2 }));
  expect(v1).not.toBe(v2);
  expect((globalThis as unknown as Record<symbol, Record<string, unknown>>)[GLOBAL_KEY]!["spec.shape@1"]).toBe(v1);
});

test("a second copy of penstock's modules shares the configuration and the frame store", () => {
  jest.isolateModules(() => {
    const copy = require("../../lib/config/state") as typeof import("../../lib/config/state");
    const copyFrames = require("../../lib/context/frame-store") as typeof import("../../lib/context/frame-store");
    expect(copy.config).toBe(config);
    expect(copyFrames.frames).toBe(frames);
  });
});

test("a copy that finds a frame store made by an older copy (without enterOver) enters frames with enter", () => {
  const slot = (globalThis as unknown as Record<symbol, Record<string, unknown>>)[GLOBAL_KEY]!;
  const current = slot["frames@2"];
  // The store as an older copy made it: every member but enterOver.
  slot["frames@2"] = new Proxy(frames, {
    get(target, key) {
      if (key === "enterOver") return undefined;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  try {
    jest.isolateModules(() => {
      const copy = require("../../lib") as typeof import("../../lib");
      copy.configure({ backend: { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined } });
      const inner = copy.step("inner", () => [copy.currentFlowId(), copy.getFlowContext()?.step], { flow: "older-store" });
      const outer = copy.entrypoint("outer", () => [copy.currentFlowId(), inner(), copy.getFlowContext()?.step], { flow: "older-store" });
      const [id, [innerId, innerStep], back] = outer() as [string, [string, string], string];
      expect(innerId).toBe(id);
      expect(innerStep).toBe("inner");
      expect(back).toBe("outer");
      expect(copy.currentFlowId()).toBeUndefined();
    });
  } finally {
    slot["frames@2"] = current;
  }
});

test("a caller's frame made by an older copy (without its record) still gives the call edge, counted on every call", () => {
  const slot = (globalThis as unknown as Record<symbol, Record<string, unknown>>)[GLOBAL_KEY]!;
  const current = slot["frames@2"];
  // The store hands out frames as an older copy made them: every field but `record`.
  const older = (frame: object | undefined): object | undefined =>
    frame === undefined ? undefined : new Proxy(frame, { get: (target, key) => (key === "record" ? undefined : Reflect.get(target, key, target)) });
  slot["frames@2"] = new Proxy(frames, {
    get(target, key) {
      if (key === "getStore") return () => older(target.getStore());
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  try {
    jest.isolateModules(() => {
      const copy = require("../../lib") as typeof import("../../lib");
      copy.configure({ backend: { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined } });
      const leaf = copy.step("leaf", () => copy.getFlowContext()?.step, { flow: "older-frames" });
      const mid = copy.step("mid", () => leaf(), { flow: "older-frames" });
      // Callers in turn: entry, mid, entry (none has a record to compare).
      const entry = copy.entrypoint("entry", () => [leaf(), mid(), leaf()], { flow: "older-frames" });
      expect(entry()).toEqual(["leaf", "leaf", "leaf"]);
      const counts = Object.fromEntries(copy.diffDag("older-frames").undeclared.map((edge) => [`${edge.from}->${edge.to}`, edge.count]));
      expect(counts).toEqual({ "entry->leaf": 2, "entry->mid": 1, "mid->leaf": 1 });
    });
  } finally {
    slot["frames@2"] = current;
  }
});
