// The demo flow (examples/orders.mjs) as generateDag("orders") draws it: the README's diagram.
export const ORDERS_MERMAID = [
  "graph TD",
  "    charge_payment --> send_confirmation",
  "    place_order --> validate_order",
  "    reserve_stock --> charge_payment",
  "    validate_order --> charge_payment",
  "    validate_order --> reserve_stock",
  "",
].join("\n");
