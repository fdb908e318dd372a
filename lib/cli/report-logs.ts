// What `penstock report --logs` takes from the log reader: figures, drift and flow calls.
import type { DagDiff, FlowStats } from "../dag";
import type { ReportCalls } from "../report/model";
import { readLogs } from "../logs";
import type { Registry } from "../types";

/** The logs' figures, by flow, and the flow calls to list. */
export interface ReportLogs {
  /** The declared flows and the flows only the logs show. */
  readonly registry: Registry;
  readonly stats: ReadonlyMap<string, FlowStats>;
  readonly drift: ReadonlyMap<string, DagDiff>;
  readonly calls: ReportCalls;
  /** What was read, in words, for the page's header. */
  readonly origin: string;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Reads `files` (pino lines of penstock's logging backend, `-` for stdin) for the report. A
 * missing or unreadable file is a CliError naming it (exit 2), before anything is read.
 */
export async function readReportLogs(files: readonly string[], options: { readonly slowest: number; readonly registry: Registry; readonly cwd: string }): Promise<ReportLogs> {
  const summary = await readLogs(files, { slowest: options.slowest, registry: options.registry, cwd: options.cwd });
  const skipped = Object.values(summary.skipped).reduce((sum, count) => sum + count, 0);
  const origin =
    `${files.join(", ")}: ${plural(summary.flowCalls, "flow call", "flow calls")} in ${plural(summary.lines, "line", "lines")}` +
    (skipped === 0 ? "" : ` (${skipped} other lines skipped)`);
  return {
    registry: summary.registry,
    stats: summary.stats,
    drift: summary.drift,
    calls: { slowest: summary.slowest, failed: summary.failed, unfinished: summary.unfinished },
    origin,
  };
}
