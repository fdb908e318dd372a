// Generators: a wrapped generator function's span covers its iteration, and its body runs in
// its own flow's context whoever calls next().
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { trace } from "@opentelemetry/api";
import { configure, currentFlowId, entrypoint, getFlowValue, runInFlow, setFlowValue, step } from "../../lib";
import { recordingBackend, resetPenstock, type RecordingBackend } from "../../lib/testing";
import { captureLogger } from "../support/capture";
import { startOtelSdk } from "../support/otel-sdk";

let recorder: RecordingBackend;

beforeEach(() => {
  resetPenstock();
  recorder = recordingBackend();
  configure(recorder);
});

const flush = () => new Promise((resolve) => setImmediate(resolve));
const ended = (name: string) => recorder.spans.filter((span) => span.step === name);

describe("sync generator functions", () => {
  test("the span ends when the iteration completes, not when the iterator is returned", async () => {
    const numbers = entrypoint("numbers", function* (n: number) {
      for (let i = 0; i < n; i++) yield i;
      return "done";
    });
    const iterator = numbers(3);
    await flush();
    expect(ended("numbers")).toHaveLength(0);
    expect([...iterator]).toEqual([0, 1, 2]);
    await flush();
    expect(ended("numbers")).toHaveLength(1);
    expect(ended("numbers")[0]!.outcome).toBe("ok");
  });

  test("a throwing body ends the span with its error, which reaches the consumer unchanged", async () => {
    const own = new Error("mine");
    const failing = entrypoint("failing_gen", function* () {
      yield 1;
      throw own;
    });
    const iterator = failing();
    expect(iterator.next()).toEqual({ value: 1, done: false });
    expect(() => iterator.next()).toThrow(own);
    await flush();
    expect(ended("failing_gen")).toHaveLength(1);
    expect(ended("failing_gen")[0]!.error).toBe(own);
  });

  test("an early return() ends the span (ok) and runs the generator's finally", async () => {
    const cleaned: string[] = [];
    const gen = entrypoint("early", function* () {
      try {
        yield 1;
        yield 2;
      } finally {
        cleaned.push(currentFlowId()!);
      }
    });
    const iterator = gen();
    iterator.next();
    expect(iterator.return(undefined)).toEqual({ value: undefined, done: true });
    await flush();
    expect(ended("early")).toHaveLength(1);
    expect(ended("early")[0]!.outcome).toBe("ok");
    expect(cleaned).toEqual([ended("early")[0]!.correlationId]);
  });

  test("throw() into the generator: caught inside it goes on; uncaught ends the span with it", async () => {
    const gen = entrypoint("thrown_into", function* () {
      try {
        yield 1;
      } catch {
        yield "recovered";
      }
    });
    const iterator = gen();
    iterator.next();
    expect(iterator.throw(new Error("in"))).toEqual({ value: "recovered", done: false });
    const out = new Error("out");
    expect(() => iterator.throw(out)).toThrow(out);
    await flush();
    expect(ended("thrown_into")[0]!.error).toBe(out);
  });

  test("the body sees its own flow, whoever calls next() and from where", () => {
    const seen: (string | undefined)[] = [];
    const gen = entrypoint("ids", function* () {
      seen.push(getFlowValue<string>("who"));
      yield currentFlowId();
      seen.push(getFlowValue<string>("who"));
      yield currentFlowId();
    });
    const iterator = runInFlow({ values: [["who", "creator"]] }, () => gen());
    const first = runInFlow({ correlationId: "other-flow", values: [["who", "intruder"]] }, () => iterator.next().value);
    const second = iterator.next().value; // outside any flow
    expect(first).toBe(second);
    expect(first).not.toBe("other-flow");
    expect(seen).toEqual(["creator", "creator"]);
    expect(currentFlowId()).toBeUndefined();
  });

  test("steps called from the body are children of the generator's span; values set there stay in its flow", async () => {
    const inner = step("inner_step", () => setFlowValue("set", "by-inner"), { flow: "parent_gen" });
    const gen = entrypoint("parent_gen", function* () {
      inner();
      yield getFlowValue("set");
    });
    expect([...gen()]).toEqual(["by-inner"]);
    await flush();
    const parent = ended("parent_gen")[0]!;
    expect(ended("inner_step")[0]!.parentSpanId).toBe(parent.spanId);
  });

  test("this and arguments reach the generator; a throw at call time (parameters) is the caller's", () => {
    const holder = {
      base: 10,
      gen: entrypoint("method_gen", function* (this: { base: number }, add: number) {
        yield this.base + add;
      }),
    };
    expect([...holder.gen(5)]).toEqual([15]);
    const destructure = entrypoint("destructure_gen", function* ({ a }: { a: number }) {
      yield a;
    });
    expect(() => destructure(undefined as never)).toThrow(TypeError);
    expect(ended("destructure_gen")[0]!.outcome).toBe("error");
  });

  test("what the caller gets: an iterator that is its own iterable, not the generator object", () => {
    function* plain() {
      yield 1;
    }
    const wrapped = entrypoint("identity_gen", plain);
    const iterator = wrapped();
    expect(iterator[Symbol.iterator]()).toBe(iterator);
    expect(Object.prototype.toString.call(iterator)).toBe("[object Generator]");
    expect(typeof iterator.return).toBe("function");
    expect(typeof iterator.throw).toBe("function");
    expect(Object.getPrototypeOf(iterator)).not.toBe(Object.getPrototypeOf(plain()));
  });
});

describe("async generator functions", () => {
  test("the span covers the whole iteration, across awaits", async () => {
    const gen = entrypoint("async_numbers", async function* () {
      for (let i = 0; i < 3; i++) {
        await flush();
        yield i;
      }
    });
    const got: number[] = [];
    const iterator = gen();
    for await (const value of iterator) {
      got.push(value);
      expect(ended("async_numbers")).toHaveLength(0);
    }
    expect(got).toEqual([0, 1, 2]);
    await flush();
    expect(ended("async_numbers")[0]!.outcome).toBe("ok");
  });

  test("a rejection ends the span with it; exactly that rejection reaches the consumer", async () => {
    const own = new Error("async mine");
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const gen = entrypoint("async_failing", async function* () {
        yield 1;
        await flush();
        throw own;
      });
      const iterator = gen();
      await iterator.next();
      await expect(iterator.next()).rejects.toBe(own);
      await flush();
      await flush();
      expect(ended("async_failing")[0]!.error).toBe(own);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  test("breaking out of for-await calls return(): the span ends ok", async () => {
    const gen = entrypoint("async_break", async function* () {
      yield 1;
      yield 2;
    });
    for await (const value of gen()) {
      if (value === 1) break;
    }
    await flush();
    expect(ended("async_break")[0]!.outcome).toBe("ok");
  });

  test("the body sees its own flow across awaits, when next() is called from another flow", async () => {
    const gen = entrypoint("async_ids", async function* () {
      await flush();
      yield [currentFlowId(), getFlowValue("who")];
      await new Promise((resolve) => setTimeout(resolve, 1));
      yield [currentFlowId(), getFlowValue("who")];
    });
    const iterator = runInFlow({ correlationId: "creator-id", values: [["who", "creator"]] }, () => gen());
    const first = await runInFlow({ correlationId: "intruder-id", values: [["who", "intruder"]] }, () => iterator.next());
    const second = await iterator.next();
    expect(first.value).toEqual(["creator-id", "creator"]);
    expect(second.value).toEqual(["creator-id", "creator"]);
  });
});

describe("abandoned iterations", () => {
  // A GC handle inside jest (no --expose-gc flag on the jest process).
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;

  test("an iterator dropped unfinished and collected ends its span as abandoned", async () => {
    const gen = entrypoint("abandoned_gen", function* () {
      yield 1;
      yield 2;
    });
    (() => {
      const iterator = gen();
      iterator.next();
    })();
    for (let attempt = 0; attempt < 50 && ended("abandoned_gen").length === 0; attempt++) {
      gc();
      await flush();
    }
    expect(ended("abandoned_gen")).toHaveLength(1);
    expect(ended("abandoned_gen")[0]!.outcome).toBe("abandoned");
  });

  test("the logging backend writes step.end with outcome \"abandoned\" at level warn", async () => {
    const captured = captureLogger();
    configure({ backend: "logging", logger: captured.logger });
    const gen = entrypoint("abandoned_logged", async function* () {
      yield 1;
      yield 2;
    });
    await (async () => {
      const iterator = gen();
      await iterator.next();
    })();
    const ends = () => captured.records().filter((record) => record.msg === "step.end");
    for (let attempt = 0; attempt < 50 && ends().length === 0; attempt++) {
      gc();
      await flush();
    }
    expect(ends()).toHaveLength(1);
    expect(ends()[0]).toMatchObject({ step: "abandoned_logged", outcome: "abandoned", level: 40 });
  });
});

describe("with OpenTelemetry", () => {
  test("the generator's span is active while its body runs: nested steps are its children", async () => {
    const sdk = startOtelSdk();
    try {
      configure("otel");
      const child = step("gen_child", () => trace.getActiveSpan()?.spanContext().spanId, { flow: "otel_gen" });
      const gen = entrypoint("otel_gen", async function* () {
        yield child();
        await flush();
        yield child();
      });
      const iterator = gen();
      const values: unknown[] = [];
      for await (const value of iterator) values.push(value);
      const parent = sdk.span("otel_gen");
      const children = sdk.spans().filter((span) => span.name === "gen_child");
      expect(children).toHaveLength(2);
      for (const span of children) expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      // The generator's span ended after the last step its body called (finished-span order).
      expect(sdk.spans().map((span) => span.name)).toEqual(["gen_child", "gen_child", "otel_gen"]);
    } finally {
      await sdk.shutdown();
    }
  });
});
