// Near the stack limit, the caller of a wrapped function gets what the function returned or
// threw, never an error penstock made: every backend's end path is guarded, and a fault report
// that overflows in turn is dropped. Each test calls a wrapped function at each of the deepest
// levels of a stack that has just overflowed, so that penstock's own work before or after the
// function falls on the limit at one level or another.
import pino from "pino";
import { configure, currentFlowId, entrypoint, loggingBackend, settle, type Backend } from "../../lib";
import { otelBackend } from "../../lib/otel";
import { recordingBackend, resetPenstock } from "../../lib/testing";
import { startOtelSdk, type OtelSdk } from "../support/otel-sdk";

let sdk: OtelSdk | undefined;
beforeEach(() => resetPenstock());
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
});

const LEVELS = 3000;

interface Attempt {
  readonly depth: number;
  /** Whether the function ran (and returned: these functions do not throw). */
  readonly ran: boolean;
  readonly threw: boolean;
  readonly outcome: unknown;
}

/**
 * Calls `call` at each of the LEVELS deepest levels of the stack. At those levels any call may
 * overflow, the test's own included, so each level only stores what happened (element stores,
 * no calls) and the attempts are read once the stack has unwound.
 */
function atTheStackLimit(call: () => unknown, ran: () => number): Attempt[] {
  const depths = new Array<number>(LEVELS).fill(-1);
  const ranBefore = new Array<number>(LEVELS).fill(0);
  const ranAfter = new Array<number>(LEVELS).fill(0);
  const threw = new Array<boolean>(LEVELS).fill(false);
  const outcomes = new Array<unknown>(LEVELS).fill(undefined);
  let tried = 0;
  const descend = (depth: number): void => {
    try {
      descend(depth + 1);
    } catch {
      // The limit: from here on the way back, each level tries the call.
    }
    if (tried >= LEVELS) return;
    const at = tried++;
    depths[at] = depth;
    ranBefore[at] = ran();
    try {
      outcomes[at] = call();
    } catch (error) {
      threw[at] = true;
      outcomes[at] = error;
    }
    ranAfter[at] = ran();
  };
  descend(0);
  expect(tried).toBe(LEVELS);
  return depths.map((depth, at) => ({ depth, ran: ranAfter[at]! > ranBefore[at]!, threw: threw[at]!, outcome: outcomes[at] }));
}

/** The attempts whose function returned but whose caller got an error, or something else than `expected` accepts. */
function wrongOnes(attempts: Attempt[], expected: (outcome: unknown) => boolean): string[] {
  return attempts
    .filter((attempt) => attempt.ran && (attempt.threw || !expected(attempt.outcome)))
    .map((attempt) => `depth ${attempt.depth}: the function returned, the caller ${attempt.threw ? "caught" : "got"} ${String(attempt.outcome)}`);
}

const discarding = (): pino.Logger => pino({ level: "info" }, { write() {} });
// A synchronous destination, as the default logger's: the write itself goes deep.
const toDevNull = (): pino.Logger => pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: true }));

const backends: [string, () => Backend | undefined][] = [
  ["the logging backend", () => loggingBackend({ logger: discarding() })],
  ["the logging backend, a synchronous destination", () => loggingBackend({ logger: toDevNull() })],
  ["recordingBackend() (a backend through the shield)", () => recordingBackend()],
  [
    "the OpenTelemetry backend, a real SDK",
    () => {
      sdk = startOtelSdk();
      return otelBackend();
    },
  ],
  [
    "a custom backend ending its span through settle()",
    () => ({ name: "custom", span: (info, run) => settle(run(), () => JSON.stringify(info)), getCorrelationId: () => undefined }),
  ],
];

describe.each(backends)("%s", (_label, make) => {
  test("a sync function that returns: its value at every level, and no flow left current", () => {
    configure({ backend: make()!, onError: () => {} });
    let ran = 0;
    const deep = entrypoint("deep", () => {
      ran++;
      return "value";
    });
    const attempts = atTheStackLimit(deep, () => ran);
    expect(wrongOnes(attempts, (outcome) => outcome === "value")).toEqual([]);
    // Many levels reached the function, from the very limit up: penstock's own work after the
    // function fell on the limit at some level.
    expect(attempts.filter((attempt) => attempt.ran).length).toBeGreaterThan(100);
    expect(currentFlowId()).toBeUndefined();
  });

  test("an async function: its own promise at every level, which resolves to its value", async () => {
    configure({ backend: make()!, onError: () => {} });
    let ran = 0;
    const deep = entrypoint("deep", async () => {
      ran++;
      return "value";
    });
    const attempts = atTheStackLimit(deep, () => ran);
    expect(wrongOnes(attempts, (outcome) => outcome instanceof Promise)).toEqual([]);
    const promises = attempts.filter((attempt) => attempt.ran).map((attempt) => attempt.outcome as Promise<unknown>);
    expect(promises.length).toBeGreaterThan(100);
    expect(new Set(await Promise.all(promises))).toEqual(new Set(["value"]));
  });

  test("with the default onError (a process warning, which overflows in turn): the value at every level", () => {
    configure({ backend: make()! });
    let ran = 0;
    const deep = entrypoint("deep", () => {
      ran++;
      return "value";
    });
    expect(wrongOnes(atTheStackLimit(deep, () => ran), (outcome) => outcome === "value")).toEqual([]);
  });
});
