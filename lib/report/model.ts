// The report page as plain data: what `penstock report` and flowReport() gather, and what the
// page renders. JSON-serialisable, so that the page embeds it and reads it back in the browser.
import type { DagDiff } from "../dag/diff-dag";
import type { FlowStats, StepStats } from "../dag/flow-stats";
import type { DagNodeKind } from "../dag/graph";
import type { FlowCallTrace } from "../logs/trace";

/** One node of a flow's drawing, with what the page shows when it is clicked. */
export interface ReportStep {
  readonly name: string;
  readonly kind: DagNodeKind;
  /** Where it is registered, `file:line:column` (stepInfo(fn).source or static extraction). */
  readonly source?: string;
  /** Its figures; absent without statistics (or for an unknown node). */
  readonly stats?: StepStats;
  /** `"unpreceded"` when it ran with none of its declared predecessors before it. */
  readonly drift?: "unpreceded";
}

/** One edge of the drawing: declared, or an undeclared call the drift found. */
export interface ReportEdge {
  readonly from: string;
  readonly to: string;
  readonly count?: number;
  readonly drift?: "undeclared" | "unexercised" | "outOfOrder";
}

/** One flow: its drawing and the figures behind it. */
export interface ReportFlow {
  readonly name: string;
  /** The flow's DAG as an SVG element, its statistics and drift drawn on it. */
  readonly svg: string;
  /**
   * The drawing's node ids (each node's `<title>` in the SVG, as Graphviz writes them) to step
   * names: how the page script finds the step of a clicked node. An edge's `<title>` is
   * `<from id>-><to id>`.
   */
  readonly nodeIds: readonly (readonly [id: string, step: string])[];
  readonly steps: readonly ReportStep[];
  readonly edges: readonly ReportEdge[];
  readonly stats?: FlowStats;
  readonly diff?: DagDiff;
}

/** Where the figures come from. */
export type ReportSource = "logs" | "live" | "none";

/** Flow calls the page lists and can open as a waterfall. */
export interface ReportCalls {
  readonly slowest: readonly FlowCallTrace[];
  readonly failed: readonly FlowCallTrace[];
  readonly unfinished?: readonly FlowCallTrace[];
}

/** Everything one report page shows. */
export interface ReportModel {
  readonly title: string;
  /** ISO 8601. */
  readonly generatedAt: string;
  readonly source: ReportSource;
  /** What the figures were read from, in words (log files, "this process"); shown under the title. */
  readonly origin?: string;
  readonly flows: readonly ReportFlow[];
  readonly calls: ReportCalls;
}
