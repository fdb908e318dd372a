// What `penstock report --logs` takes from the log reader: figures, drift and flow calls.
import type { DagDiff, FlowStats } from "../dag";
import type { ReportCalls } from "../report/model";
import type { Registry } from "../types";
import { CliError } from "./errors";

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

/** Reads `files` (pino lines of penstock's logging backend) for the report. */
export async function readReportLogs(files: readonly string[], _options: { readonly slowest: number; readonly registry: Registry }): Promise<ReportLogs> {
  throw new CliError(`--logs ${files.join(" ")}: this build of penstock has no log reader (penstock logs).`);
}
