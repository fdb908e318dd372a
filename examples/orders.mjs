// The order-processing flow used by the README and the demo: one entrypoint, four steps.
// Plain ESM importing the package by name (inside this repository, run `npm run build` first).
import { entrypoint, flowKey, getFlowValue, setFlowValue, step } from "penstock";

/** The customer placing the order: set by the entrypoint, read by later steps. */
export const customerId = flowKey("customerId");

const stock = new Map([
  ["tea", 10],
  ["mug", 3],
]);

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The entrypoint starts the "orders" flow. Its body calls the steps declared below; they are
// only called once the module has loaded, so declaring them afterwards is fine.
export const placeOrder = entrypoint(
  "place_order",
  async (order) => {
    setFlowValue(customerId, order.customer);
    await validateOrder(order);
    await reserveStock(order);
    const payment = await chargePayment(order);
    return sendConfirmation(order, payment);
  },
  { flow: "orders", attributes: (order) => ({ order_id: order.id }) },
);

// `after` draws the DAG's edges; the flow ("orders") is inferred from the wrapped functions.
export const validateOrder = step(
  "validate_order",
  async (order) => {
    if (order.items.length === 0) throw new Error(`order ${order.id} has no items`);
    for (const { sku, quantity } of order.items) {
      if ((stock.get(sku) ?? 0) < quantity) throw new Error(`order ${order.id}: not enough "${sku}" in stock`);
    }
  },
  { after: placeOrder },
);

export const reserveStock = step(
  "reserve_stock",
  async (order) => {
    await pause(5);
    for (const { sku, quantity } of order.items) stock.set(sku, stock.get(sku) - quantity);
  },
  { after: validateOrder },
);

export const chargePayment = step(
  "charge_payment",
  async (order) => {
    await pause(10);
    return { paymentId: `pay_${order.id}`, customer: getFlowValue(customerId), amount: order.total };
  },
  { after: [validateOrder, reserveStock], attributes: (order) => ({ order_total: order.total, currency: "EUR" }) },
);

export const sendConfirmation = step(
  "send_confirmation",
  async (order, payment) => `mailed ${getFlowValue(customerId)}: order ${order.id} paid (${payment.paymentId})`,
  { after: chargePayment },
);
