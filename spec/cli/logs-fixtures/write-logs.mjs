// Runs the orders flow with the logging backend into a file: real penstock lines, with the
// lines of other loggers around them. node write-logs.mjs <out> [--iso] [--cut]
//   --iso  pino's ISO 8601 time (pino.stdTimeFunctions.isoTime) instead of epoch milliseconds
//   --cut  the last flow call's entrypoint never writes its step.end (a process killed mid-call)
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import pino from "pino";
import { configure, loggingBackend } from "penstock";
import { placeOrder } from "./orders.mjs";

const [out, ...flags] = process.argv.slice(2);
const logger = pino({ name: "shop", ...(flags.includes("--iso") ? { timestamp: pino.stdTimeFunctions.isoTime } : {}) }, pino.destination({ dest: out, sync: true }));
configure(loggingBackend({ logger }));
const order = (id, items = [{ sku: "tea", quantity: 1 }]) => ({ id, customer: "c", items, total: 3 });

logger.info({ port: 8080 }, "listening");
appendFileSync(out, "plain text from another tool\n{ this is not json\n");
for (let i = 0; i < 3; i++) await placeOrder(order(`A-${i}`));
await placeOrder(order("B-1", [])).catch(() => undefined);
logger.info("a line of the app's own, with no flow");
await placeOrder(order("A-3"));
if (flags.includes("--cut")) {
  const lines = readFileSync(out, "utf8").trimEnd().split("\n");
  writeFileSync(out, `${lines.slice(0, -1).join("\n")}\n`);
}
