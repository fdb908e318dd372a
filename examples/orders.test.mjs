// Tests of the "orders" flow with penstock/testing: run with `node --test examples/orders.test.mjs` (after `npm run build`).
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { configure } from "penstock";
import { recordingBackend } from "penstock/testing";
import { placeOrder } from "./orders.mjs";

const recorder = recordingBackend();
beforeEach(() => {
  recorder.clear();
  configure(recorder);
});

test("a good order runs every step under one correlation ID", async () => {
  await placeOrder({ id: "T-1", customer: "cust-1", items: [{ sku: "tea", quantity: 1 }], total: 4.5 });
  assert.deepEqual(recorder.started, ["place_order", "validate_order", "reserve_stock", "charge_payment", "send_confirmation"]);
  assert.equal(new Set(recorder.spans.map((span) => span.correlationId)).size, 1);
  const [entry] = recorder.spans.filter((span) => span.kind === "entrypoint");
  assert.ok(recorder.spans.every((span) => span === entry || span.parentSpanId === entry.spanId));
});

test("an empty order fails in validate_order", async () => {
  await assert.rejects(placeOrder({ id: "T-2", customer: "cust-2", items: [], total: 0 }), /no items/);
  assert.deepEqual(
    recorder.spans.map((span) => [span.step, span.outcome]),
    [["validate_order", "error"], ["place_order", "error"]],
  );
});
