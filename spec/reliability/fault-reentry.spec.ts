// Fault reporting is not re-entrant: a fault raised while onError runs, directly or through the
// traced calls it makes, is counted and dropped (one PENSTOCK_FAULT_DROPPED warning), never fed
// back into onError; the event loop keeps running.
import { configure, entrypoint } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { backendWith } from "../support/misbehaving-backends";

let warnings: jest.SpyInstance;
beforeEach(() => {
  resetPenstock();
  warnings = jest.spyOn(process, "emitWarning").mockImplementation(() => undefined);
});
afterEach(() => warnings.mockRestore());

const droppedWarnings = (): number => warnings.mock.calls.filter(([, options]) => (options as { code?: string } | undefined)?.code === "PENSTOCK_FAULT_DROPPED").length;

/** Past this many onError calls the test's own onError stops calling: a loop ends, and fails the test, instead of hanging it. */
const LOOP_GUARD = 20_000;

test("a backend whose promise always rejects, an onError that calls a wrapped async step: a 200 ms timer fires, onError ran once", async () => {
  let onErrorCalls = 0;
  const work = entrypoint("work", async (n: number) => n * 2);
  configure({
    backend: backendWith(((_info: unknown, run: () => unknown) => Promise.resolve(run()).then(() => Promise.reject(new Error("backend rejects")))) as never),
    onError: () => {
      onErrorCalls++;
      if (onErrorCalls < LOOP_GUARD) void work(onErrorCalls);
    },
  });
  const timer = new Promise<number>((resolve) => setTimeout(() => resolve(onErrorCalls), 200));
  expect(await work(21)).toBe(42);
  // When the timer fires, onError has handled the one fault of the call above; the fault of
  // the call onError made was dropped.
  expect(await timer).toBe(1);
  expect(onErrorCalls).toBe(1);
  expect(droppedWarnings()).toBe(1);
  // The next fault outside onError is handled again.
  expect(await work(1)).toBe(2);
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(onErrorCalls).toBe(2);
  expect(droppedWarnings()).toBe(1);
});

test("a backend that throws, an onError that calls a wrapped sync step: onError runs once per call, not once per level of recursion", () => {
  let onErrorCalls = 0;
  const work = entrypoint("work", (n: number) => n + 1);
  configure({
    backend: backendWith(() => {
      throw new Error("backend down");
    }),
    onError: () => {
      onErrorCalls++;
      if (onErrorCalls < LOOP_GUARD) work(0);
    },
  });
  for (let i = 0; i < 10; i++) expect(work(i)).toBe(i + 1);
  expect(onErrorCalls).toBe(10);
  expect(droppedWarnings()).toBe(1);
});

test("an onError that throws while a fault of its own is raised: both dropped, the call unchanged", () => {
  const seen: string[] = [];
  const work = entrypoint("work", () => "own");
  configure({
    backend: backendWith((_info, run) => {
      run();
      throw new Error("after run");
    }),
    onError: (error) => {
      seen.push((error as Error).message);
      work();
      throw new Error("onError broke");
    },
  });
  expect(work()).toBe("own");
  expect(seen).toEqual(["after run"]);
});
