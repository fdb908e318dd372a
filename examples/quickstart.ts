// The README quick start: the "orders" flow in TypeScript, run once, then drawn.
import { entrypoint, flowKey, generateDag, getFlowValue, setFlowValue, step } from "penstock";

interface Order {
  id: string;
  customer: string;
  items: { sku: string; quantity: number }[];
  total: number;
}

const customerId = flowKey<string>("customerId");

export const placeOrder = entrypoint(
  "place_order",
  async (order: Order): Promise<string> => {
    setFlowValue(customerId, order.customer);
    await validateOrder(order);
    await reserveStock(order);
    const paymentId = await chargePayment(order);
    return sendConfirmation(order, paymentId);
  },
  { flow: "orders", attributes: (order) => ({ order_id: order.id }) },
);

export const validateOrder = step(
  "validate_order",
  async (order: Order): Promise<void> => {
    if (order.items.length === 0) throw new Error(`order ${order.id} has no items`);
  },
  { after: placeOrder },
);

export const reserveStock = step(
  "reserve_stock",
  async (order: Order): Promise<number> => order.items.reduce((sum, item) => sum + item.quantity, 0),
  { after: validateOrder },
);

export const chargePayment = step(
  "charge_payment",
  async (order: Order): Promise<string> => `pay_${order.id}`,
  { after: [validateOrder, reserveStock], attributes: (order) => ({ order_total: order.total }) },
);

export const sendConfirmation = step(
  "send_confirmation",
  async (order: Order, paymentId: string): Promise<string> =>
    `mailed ${getFlowValue(customerId)}: order ${order.id} paid (${paymentId})`,
  { after: chargePayment },
);

// Ten pino lines (step.start / step.end) with one correlation_id, then the result and the DAG.
console.log(await placeOrder({ id: "A-1001", customer: "cust-42", items: [{ sku: "tea", quantity: 2 }], total: 9.5 }));
console.log(generateDag("orders"));
