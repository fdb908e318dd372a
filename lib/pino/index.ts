// penstock/pino: the flow's correlation ID on your application's own pino log lines.
export { flowMixin } from "./mixin";
export type { FlowLogFields } from "./mixin";
export { flowLoggerOptions } from "./logger-options";
