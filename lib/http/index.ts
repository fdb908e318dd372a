// penstock/http: one flow per HTTP request, for Express/Connect, node:http and fetch-style handlers.
// Importing it loads no web framework: the adapters are typed structurally.
export { flowMiddleware } from "./middleware";
export type { FlowMiddleware } from "./middleware";
export { flowListener } from "./listener";
export { withFlow } from "./with-flow";
export type { FetchHandler } from "./with-flow";
export type { FlowHttpOptions } from "./options";
