// penstock/bullmq with a real BullMQ Queue and Worker on a real redis-server (started here, see
// spec/support/redis.ts): the worker's steps run in the producer's flow.
import { Queue, QueueEvents, Worker, type Job } from "bullmq";
import { randomUUID } from "node:crypto";
import { configure, currentFlowId, entrypoint, loggingBackend, runInFlow, step } from "../../lib";
import { FLOW_JOB_KEY, flowJobData, flowOf, flowProcessor } from "../../lib/bullmq";
import { flowIdGenerator } from "../../lib/otel";
import { recordingBackend, resetPenstock } from "../../lib/testing";
import { captureLogger } from "../support/capture";
import { startOtelSdk } from "../support/otel-sdk";
import { REDIS_SETUP_TIMEOUT, startRedis, type Redis } from "../support/redis";

let redis: Redis | undefined;
// BullMQ's workers need maxRetriesPerRequest: null on their blocking connection.
let connection: { url: string; maxRetriesPerRequest: null };
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  redis = await startRedis();
  connection = { url: redis.url, maxRetriesPerRequest: null };
}, REDIS_SETUP_TIMEOUT);

/** A fresh queue, its events and a worker running `processor` through flowProcessor. */
function queueWith<R>(processor: (job: Job) => Promise<R>): { queue: Queue; events: QueueEvents; worker: Worker } {
  const name = `penstock-${randomUUID()}`;
  const queue = new Queue(name, { connection });
  // From the start of the (new) queue's event stream, not from "$": a QueueEvents starts
  // listening a moment after it is ready, and a job that completes in that moment would never
  // notify waitUntilFinished (a BullMQ race, seen about 1 run in 4).
  const events = new QueueEvents(name, { connection, lastEventId: "0-0" });
  const worker = new Worker(name, flowProcessor(processor), { connection });
  closers.push(() => worker.close(), () => events.close(), () => queue.obliterate({ force: true }).then(() => queue.close()));
  return { queue, events, worker };
}

beforeEach(() => resetPenstock());

afterAll(async () => {
  try {
    for (const close of closers.reverse()) await close();
  } finally {
    await redis?.stop();
  }
});

test("flowJobData copies the data and adds the running flow's carrier; outside a flow it adds nothing", () => {
  configure(recordingBackend());
  const data = { orderId: "A-1" };
  expect(flowJobData(data)).toEqual({ orderId: "A-1" });
  const inFlow = entrypoint("produce", () => flowJobData(data), { flow: "jobs" })();
  expect(inFlow).toEqual({ orderId: "A-1", [FLOW_JOB_KEY]: { "x-correlation-id": expect.stringMatching(/^[0-9a-f]{32}$/), traceparent: expect.stringMatching(/^00-/) } });
  expect(data).toEqual({ orderId: "A-1" });
  expect(() => flowJobData("A-1" as never)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining("flowJobData(data)") }));
  expect(() => flowJobData([1] as never)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  expect(() => flowProcessor("no" as never)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
});

test("logging backend: the worker's steps log under the producer's correlation ID", async () => {
  const capture = captureLogger();
  configure({ backend: loggingBackend({ logger: capture.logger }) });
  const packParcel = step("pack_parcel", async (orderId: string) => `parcel ${orderId} in ${currentFlowId()}`, { flow: "shipping" });
  const shipOrder = entrypoint("ship_order", async (orderId: string) => packParcel(orderId), { flow: "shipping" });
  const { queue, events } = queueWith(async (job) => ({ seen: currentFlowId(), result: await shipOrder(job.data.orderId), data: job.data }));

  const enqueue = step("enqueue_shipping", (orderId: string) => queue.add("ship", flowJobData({ orderId })), { flow: "checkout" });
  const checkout = entrypoint("checkout", async (orderId: string) => {
    const job = await enqueue(orderId);
    return { id: currentFlowId()!, job };
  }, { flow: "checkout" });

  const { id, job } = await checkout("A-7");
  const returned = (await job.waitUntilFinished(events, 20_000)) as { seen: string; result: string; data: Record<string, unknown> };
  expect(returned.seen).toBe(id);
  expect(returned.result).toBe(`parcel A-7 in ${id}`);
  // The processor sees the job unchanged, the carrier included.
  expect(returned.data).toEqual({ orderId: "A-7", [FLOW_JOB_KEY]: expect.objectContaining({ "x-correlation-id": id }) });
  const workerLines = capture.records().filter((record) => record.flow === "shipping");
  expect(workerLines.map((record) => `${record.msg}:${record.step}`)).toEqual(["step.start:ship_order", "step.start:pack_parcel", "step.end:pack_parcel", "step.end:ship_order"]);
  expect(new Set(workerLines.map((record) => record.correlation_id))).toEqual(new Set([id]));
});

test("a job added outside any flow runs in a fresh flow of its own", async () => {
  configure({ backend: loggingBackend({ logger: captureLogger().logger }) });
  const { queue, events } = queueWith(async () => currentFlowId());
  const first = await queue.add("bare", flowJobData({ n: 1 }));
  const second = await queue.add("plain", { n: 2, [FLOW_JOB_KEY]: { "x-correlation-id": "bad id\r\n" } });
  const [a, b] = await Promise.all([first.waitUntilFinished(events, 20_000), second.waitUntilFinished(events, 20_000)]);
  expect(a).toMatch(/^[0-9a-f]{32}$/);
  expect(b).toMatch(/^[0-9a-f]{32}$/);
  expect(a).not.toBe(b);
});

test("OpenTelemetry: the worker's entrypoint span is a child of the producer's step span, in the same trace", async () => {
  const sdk = startOtelSdk({ idGenerator: flowIdGenerator() });
  try {
    configure("otel");
    const shipOrder = entrypoint("ship_order_otel", async () => currentFlowId(), { flow: "shipping_otel" });
    const { queue, events } = queueWith(async () => shipOrder());
    const enqueue = step("enqueue_otel", () => queue.add("ship", flowJobData({ orderId: "O-1" })), { flow: "checkout_otel" });
    const checkout = entrypoint("checkout_otel", async () => ({ id: currentFlowId(), job: await enqueue() }), { flow: "checkout_otel" });
    const { id, job } = await checkout();
    const workerId = await job.waitUntilFinished(events, 20_000);
    const producer = sdk.span("enqueue_otel");
    const worker = sdk.span("ship_order_otel");
    expect(workerId).toBe(id);
    expect(worker.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(worker.spanContext().traceId).toBe(id);
    expect(worker.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
  } finally {
    await sdk.shutdown();
  }
});

test("the worker's completed and failed handlers see the job's flow through flowOf(job)", async () => {
  configure({ backend: loggingBackend({ logger: captureLogger().logger }) });
  const { queue, worker } = queueWith(async (job) => {
    if (job.data.fail) throw new Error("cannot ship");
    return currentFlowId();
  });
  const seen = new Map<string, { outside: string | undefined; inFlow: string | undefined; ran?: unknown }>();
  const settled = new Promise<void>((resolve) => {
    const note = (job: Job | undefined, ran?: unknown): void => {
      seen.set(job!.name, { outside: currentFlowId(), inFlow: runInFlow(flowOf(job), () => currentFlowId()), ran });
      if (seen.size === 3) resolve();
    };
    worker.on("completed", (job, result) => note(job, result));
    worker.on("failed", (job) => note(job));
  });
  const produce = entrypoint("produce_events", async () => {
    await queue.add("ok", flowJobData({ n: 1 }));
    await queue.add("fails", flowJobData({ n: 2, fail: true }));
    return currentFlowId()!;
  }, { flow: "events" });
  const id = await produce();
  // Added outside any flow: the processor ran in a fresh flow, and flowOf(job) names that one.
  await queue.add("bare", { n: 3 });
  await settled;
  expect(seen.get("ok")).toEqual({ outside: undefined, inFlow: id, ran: id });
  expect(seen.get("fails")).toEqual({ outside: undefined, inFlow: id, ran: undefined });
  const bare = seen.get("bare")!;
  expect(bare.inFlow).toMatch(/^[0-9a-f]{32}$/);
  expect(bare.inFlow).toBe(bare.ran);
  expect(bare.inFlow).not.toBe(id);
  expect(flowOf({ data: { [FLOW_JOB_KEY]: { "x-correlation-id": "from-carrier" } } })).toEqual({ correlationId: "from-carrier" });
  expect(flowOf(undefined)).toEqual({});
});
