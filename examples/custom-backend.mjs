// A custom backend: a plain record with span() and getCorrelationId(). This one prints an
// indented timing tree to the console; settle() handles sync results and promises alike.
import { configure, entrypoint, settle } from "penstock";
import { placeOrder } from "./orders.mjs";

function consoleTimingBackend({ write = console.log } = {}) {
  const depthOf = new Map(); // spanId -> nesting depth, to indent children under their parent

  return {
    name: "console-timing",
    span(info, run) {
      const depth = info.parentSpanId === undefined ? 0 : (depthOf.get(info.parentSpanId) ?? 0) + 1;
      depthOf.set(info.spanId, depth);
      const indent = "  ".repeat(depth);
      const started = performance.now();
      write(`${indent}> ${info.flow}/${info.step} [${info.correlationId.slice(0, 8)}]`);

      const end = (outcome) => {
        depthOf.delete(info.spanId);
        const ms = (performance.now() - started).toFixed(1);
        const how = outcome.ok ? "ok" : `failed: ${outcome.error?.message ?? outcome.error}`;
        write(`${indent}< ${info.step} ${how} (${ms} ms)`);
      };

      // The rules: call run() exactly once, synchronously, and return what it returns.
      let result;
      try {
        result = run();
      } catch (error) {
        end({ ok: false, error }); // a sync throw: settle() never sees it
        throw error;
      }
      return settle(result, end); // a plain value: end now; a promise: end when it settles
    },
    // undefined: use penstock's own correlation ID.
    getCorrelationId: () => undefined,
  };
}

configure(consoleTimingBackend());

await placeOrder({ id: "B-1", customer: "cust-1", items: [{ sku: "tea", quantity: 1 }], total: 4.5 });
await placeOrder({ id: "B-2", customer: "cust-2", items: [{ sku: "mug", quantity: 99 }], total: 990 }).catch(() => {});

// A sync function stays sync under any backend: add(2, 3) is 5, not a promise.
const add = entrypoint("add", (a, b) => a + b);
console.log("add(2, 3) =", add(2, 3));
