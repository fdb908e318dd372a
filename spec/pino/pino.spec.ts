// penstock/pino with a real pino logger writing to a stream: correlation_id and flow on every
// line written inside a flow, nothing outside one.
import { Writable } from "node:stream";
import pino from "pino";
import { configure, entrypoint, getFlowContext, runInFlow, step, type Backend } from "../../lib";
import { flowLoggerOptions, flowMixin } from "../../lib/pino";
import { recordingBackend, resetPenstock } from "../../lib/testing";
import { startOtelSdk } from "../support/otel-sdk";

function collect(options: pino.LoggerOptions): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      callback();
    },
  });
  const logger = pino({ base: undefined, ...options }, stream);
  return { logger, lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

beforeEach(() => {
  resetPenstock();
  configure(recordingBackend());
});

test("outside a flow a line gets nothing; inside an entrypoint and its steps, correlation_id and flow", () => {
  const { logger, lines } = collect({ mixin: flowMixin });
  const charge = step("charge", () => logger.info("charging"), { flow: "orders" });
  const place = entrypoint("place", () => {
    logger.info({ order: "A-1" }, "placing");
    charge();
    return getFlowContext()!.correlationId;
  }, { flow: "orders" });
  logger.info("before");
  const id = place();
  logger.info("after");
  const [before, placing, charging, after] = lines();
  expect(before).not.toHaveProperty("correlation_id");
  expect(before).not.toHaveProperty("flow");
  expect(placing).toMatchObject({ msg: "placing", order: "A-1", correlation_id: id, flow: "orders" });
  expect(charging).toMatchObject({ msg: "charging", correlation_id: id, flow: "orders" });
  expect(after).not.toHaveProperty("correlation_id");
});

test("in a bare runInFlow (middleware, a worker) the line has the ID and no flow name yet", () => {
  const { logger, lines } = collect({ mixin: flowMixin });
  runInFlow({ correlationId: "req-7" }, () => logger.info("in request"));
  expect(lines()[0]).toEqual(expect.objectContaining({ correlation_id: "req-7" }));
  expect(lines()[0]).not.toHaveProperty("flow");
});

test("the ID follows awaits and timers", async () => {
  const { logger, lines } = collect({ mixin: flowMixin });
  await runInFlow({ correlationId: "async-1" }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 2));
    logger.info("later");
  });
  expect(lines()[0]!.correlation_id).toBe("async-1");
});

test("outside a flow, lines with fields of their own log them and nothing leaks from one line to the next", () => {
  // pino's default merge strategy writes the line's fields into the mixin's object.
  const { logger, lines } = collect({ mixin: flowMixin });
  logger.info({ first: 1 }, "one");
  logger.info({ second: 2 }, "two");
  runInFlow({ correlationId: "in-flow" }, () => logger.info({ third: 3 }, "three"));
  logger.info("four");
  expect(lines()).toEqual([
    { level: 30, time: expect.any(Number), first: 1, msg: "one" },
    { level: 30, time: expect.any(Number), second: 2, msg: "two" },
    { level: 30, time: expect.any(Number), correlation_id: "in-flow", third: 3, msg: "three" },
    { level: 30, time: expect.any(Number), msg: "four" },
  ]);
  expect(flowMixin()).toEqual({});
  expect(flowMixin()).not.toBe(flowMixin());
});

test("a backend whose getCorrelationId throws never breaks a log line", () => {
  const faults: unknown[] = [];
  const broken: Backend = { name: "broken", span: (_info, run) => run(), getCorrelationId: () => { throw new Error("broken backend"); } };
  configure({ backend: broken, onError: (error) => faults.push(error) });
  const { logger, lines } = collect({ mixin: flowMixin });
  runInFlow({ correlationId: "still-logged" }, () => logger.info("line"));
  expect(lines()[0]).toMatchObject({ msg: "line", correlation_id: "still-logged" });
  expect(faults.length).toBeGreaterThan(0);
});

test("flowLoggerOptions keeps the user's options and mixin; the user's fields win a clash", () => {
  const { logger, lines } = collect(
    flowLoggerOptions({ level: "debug", mixin: (_merge: object, level: number) => ({ service: "api", level_number: level, flow: "user-flow" }) }),
  );
  runInFlow({ correlationId: "merged-1" }, () => logger.debug("debug line"));
  expect(lines()[0]).toMatchObject({ msg: "debug line", service: "api", level_number: 20, correlation_id: "merged-1", flow: "user-flow" });
  const plain = collect(flowLoggerOptions());
  entrypoint("only_ours", () => plain.logger.info("ours"), { flow: "mine" })();
  expect(plain.lines()[0]).toMatchObject({ msg: "ours", flow: "mine", correlation_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
});

test("flowLoggerOptions rejects a mixin that is not a function, naming the field", () => {
  expect(() => flowLoggerOptions({ mixin: "no" } as never)).toThrow(
    expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining("flowLoggerOptions(options).mixin") }),
  );
  expect(() => flowLoggerOptions(42 as never)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
});

test("with the OpenTelemetry backend the line's correlation_id is the trace ID", async () => {
  const sdk = startOtelSdk();
  try {
    configure("otel");
    const { logger, lines } = collect({ mixin: flowMixin });
    entrypoint("traced", () => logger.info("traced line"), { flow: "otel" })();
    expect(lines()[0]!.correlation_id).toBe(sdk.span("traced").spanContext().traceId);
  } finally {
    await sdk.shutdown();
  }
});
