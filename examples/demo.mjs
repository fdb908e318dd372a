// The demo: two orders through the "orders" flow, traced as pino JSON, then the flow's DAG.
// Run it with `npm run demo` (or `npm run build && node examples/demo.mjs`).
import pino from "pino";
import { configure, generateDag, loggingBackend } from "penstock";
import { placeOrder } from "./orders.mjs";

// pino writes one JSON line per record; pino.destination(1) is stdout, written synchronously
// so the trace lines and the console output below stay in order.
const logger = pino({ name: "orders-demo", base: undefined }, pino.destination({ dest: 1, sync: true }));
configure(loggingBackend({ logger }));

console.log("## A good order\n");
const receipt = await placeOrder({
  id: "A-1001",
  customer: "cust-42",
  items: [{ sku: "tea", quantity: 2 }, { sku: "mug", quantity: 1 }],
  total: 23.5,
});
console.log(`\n=> ${receipt}\n`);

console.log("## An order that fails validation\n");
try {
  await placeOrder({ id: "A-1002", customer: "cust-7", items: [], total: 0 });
} catch (error) {
  console.log(`\n=> rejected: ${error.message}\n`);
}

console.log('## generateDag("orders")\n');
process.stdout.write(generateDag("orders"));
