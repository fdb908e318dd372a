// The orders flow declared in another order than the code runs it: charge_payment before
// reserve_stock, and no send_confirmation. `penstock logs --drift` must find it.
import { entrypoint, step } from "penstock";

const placeOrder = entrypoint("place_order", async () => undefined, { flow: "orders" });
const validateOrder = step("validate_order", async () => undefined, { after: placeOrder });
const chargePayment = step("charge_payment", async () => undefined, { after: validateOrder });
export const reserveStock = step("reserve_stock", async () => undefined, { after: chargePayment });
