// End to end: an Express request queues a BullMQ job; a worker runs it. One correlation ID on
// the response header, on the handler's log lines (penstock/pino) and on the worker's step logs
// (penstock/bullmq), through a real Redis.
// Run it with `npm run build && node examples/bullmq.mjs`. It needs express, bullmq and ioredis
// (npm install express bullmq ioredis), and Redis: REDIS_URL, else it starts its own
// redis-server on a free loopback port and stops it afterwards. Its flows are registered at
// import; `penstock dag examples/bullmq.mjs` (which imports it with PENSTOCK_CLI=1 set) draws
// them without Redis, because the run below is skipped there.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createConnection, createServer } from "node:net";
import { Queue, QueueEvents, Worker } from "bullmq";
import express from "express";
import pino from "pino";
import { configure, currentFlowId, entrypoint, loggingBackend, step } from "penstock";
import { flowJobData, flowProcessor } from "penstock/bullmq";
import { flowMiddleware } from "penstock/http";
import { flowLoggerOptions } from "penstock/pino";

// One logger for the app and for penstock's step records, with correlation_id and flow mixed
// into every line written inside a flow. "process" tells the web side from the worker side.
const root = pino(flowLoggerOptions({ base: undefined, timestamp: false }), pino.destination({ dest: 1, sync: true }));
const web = root.child({ process: "web" });
const worker = root.child({ process: "worker" });

// The web side: POST /orders/:id places the order and queues its shipping.
configure(loggingBackend({ logger: root }));
const queueName = `shipping-${randomUUID()}`;
let queue; // made by run(), once Redis is there

const placeOrder = entrypoint("place_order", async (orderId) => {
  web.info({ orderId }, "placing the order");
  const job = await queueShipping(orderId);
  return { orderId, status: "placed", jobId: job.id };
}, { flow: "checkout" });
const queueShipping = step("queue_shipping", async (orderId) => {
  const job = await queue.add("ship", flowJobData({ orderId }));
  web.info({ jobId: job.id }, "shipping queued");
  return job;
}, { after: placeOrder });

// The worker side (another process in a real deployment): the processor runs in the job's flow.
const shipOrder = entrypoint("ship_order", async (orderId) => {
  worker.info({ orderId }, "shipping");
  return { parcel: await packParcel(orderId), correlationId: currentFlowId() };
}, { flow: "shipping" });
const packParcel = step("pack_parcel", async (orderId) => `parcel for ${orderId}`, { after: shipOrder });

if (process.env.PENSTOCK_CLI !== "1") await run();

async function run() {
  const redis = process.env.REDIS_URL ? { url: process.env.REDIS_URL, stop: async () => {} } : await startRedis();
  // BullMQ's workers need maxRetriesPerRequest: null on their blocking connection.
  const connection = { url: redis.url, maxRetriesPerRequest: null };
  queue = new Queue(queueName, { connection });
  const shippingWorker = new Worker(queueName, flowProcessor(async (job) => shipOrder(job.data.orderId)), { connection });
  const events = new QueueEvents(queueName, { connection });
  await events.waitUntilReady();

  const app = express();
  app.use(flowMiddleware());
  app.post("/orders/:id", async (req, res) => {
    web.info({ path: req.path }, "request received");
    res.status(201).json(await placeOrder(req.params.id));
  });

  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));

  console.log("## POST /orders/A-1001: the web side's lines, then the worker's");
  const response = await fetch(`http://127.0.0.1:${server.address().port}/orders/A-1001`, { method: "POST" });
  const id = response.headers.get("x-correlation-id");
  const { jobId } = await response.json();
  const shipped = await (await queue.getJob(jobId)).waitUntilFinished(events, 20_000);

  console.log("\n## Summary");
  console.log(`response header   X-Correlation-ID: ${id}`);
  console.log(`worker result     ${shipped.parcel}, currentFlowId() in the worker: ${shipped.correlationId}`);
  console.log(`one ID throughout: ${shipped.correlationId === id}`);

  await new Promise((resolve) => server.close(resolve));
  await shippingWorker.close();
  await events.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.stop();
}

async function startRedis() {
  const port = await new Promise((resolve, reject) => {
    const probe = createServer().once("error", reject).listen(0, "127.0.0.1", () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  await new Promise((resolve, reject) => {
    child.once("error", (error) => reject(new Error(`could not start redis-server (${error.message}): set REDIS_URL or install redis-server`)));
    const started = Date.now();
    const check = () => {
      const socket = createConnection(port, () => {
        socket.end();
        resolve();
      });
      socket.once("error", () => (Date.now() - started > 5_000 ? reject(new Error("redis-server did not start")) : setTimeout(check, 50)));
    };
    check();
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => new Promise((resolve) => child.once("exit", resolve).kill("SIGTERM")) };
}
