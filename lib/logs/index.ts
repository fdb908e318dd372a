// The log reader's surface inside penstock (`penstock logs`, `penstock report --logs`): not a package entry.
export { readLogs, DEFAULT_WINDOW_MS, MAX_LISTED } from "./read-logs";
export type { LogReadOptions, LogSummary } from "./read-logs";
export type { LogEdge } from "./assemble-calls";
export type { FlowCallTrace, TraceOutcome, TraceStep } from "./trace";
export { terminalText } from "./terminal-text";
