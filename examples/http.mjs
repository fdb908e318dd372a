// An Express 5 server with penstock/http and penstock/pino: one flow per request, its ID on the
// response header and on every line the app logs. Makes three requests with fetch, then exits.
// Run it with `npm run build && node examples/http.mjs` (needs express: npm install express).
import express from "express";
import pino from "pino";
import { configure, currentFlowId, entrypoint, loggingBackend, step } from "penstock";
import { flowMiddleware } from "penstock/http";
import { flowLoggerOptions } from "penstock/pino";

// The application's logger: flowLoggerOptions() adds correlation_id and flow to each line
// written inside a flow. Written synchronously to stdout, so lines and prints stay in order.
const logger = pino(flowLoggerOptions({ base: undefined, timestamp: false }), pino.destination({ dest: 1, sync: true }));
configure(loggingBackend({ logger }));

const showOrder = entrypoint("show_order", async (orderId) => {
  logger.info({ orderId }, "looking the order up");
  return { orderId, status: await lookUp(orderId) };
}, { flow: "orders" });
const lookUp = step("look_up", async (orderId) => (orderId.startsWith("A") ? "paid" : "unknown"), { after: showOrder });

const app = express();
app.use(flowMiddleware()); // first, so everything after it runs in the request's flow
app.get("/orders/:id", async (req, res) => {
  logger.info({ path: req.path }, "request received");
  res.json({ ...(await showOrder(req.params.id)), correlationId: currentFlowId() });
});

const server = app.listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const requests = [
  ["a new request", {}],
  ["a request from a service that sent its ID", { "X-Correlation-ID": "upstream-7f3a" }],
  ["a request with a hostile ID (replaced, never echoed)", { "X-Correlation-ID": "x".repeat(200) }],
];
for (const [label, headers] of requests) {
  console.log(`\n## ${label}`);
  const response = await fetch(`${base}/orders/A-1001`, { headers });
  const body = await response.json();
  console.log(`response header X-Correlation-ID: ${response.headers.get("x-correlation-id")}`);
  console.log(`response body: ${JSON.stringify(body)}`);
}

await new Promise((resolve) => server.close(resolve));
