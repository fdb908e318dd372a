// flowReport: the report page of this process, from its registry, flowStats() and diffDag(),
// for a development route. Synchronous, so its drawings come from the built-in layout.
import { z } from "zod";
import { diffDag } from "../dag/diff-dag";
import { flowStats } from "../dag/flow-stats";
import { registrySchema } from "../dag/options";
import { parseOrThrow } from "../internal/parse-or-throw";
import type { FlowCallTrace } from "../logs/trace";
import { getRegistry } from "../registry/registry";
import type { Registry } from "../types";
import { flowDrawing, reportFlow } from "./drawing";
import { layoutSvg } from "./layout-svg";
import type { ReportFlow } from "./model";
import { renderReport } from "./render-page";
import { flowCallTraceSchema } from "./trace-schema";

/**
 * Options of {@link flowReport}.
 *
 * @example
 * flowReport({ title: "orders service (dev)", flows: ["orders"] });
 */
export interface FlowReportOptions {
  /** The page's title. Default `"penstock flow report"`. */
  readonly title?: string;
  /** The flows to show, in this order. Default: every registered flow. */
  readonly flows?: readonly string[];
  /** The registry to draw. Default: `getRegistry()`. */
  readonly registry?: Registry;
  /**
   * Flow calls to list and open as waterfalls (this process keeps figures, not calls): for
   * example the `slowest`, `failed` and `unfinished` of a trace store of your own. Default none.
   */
  readonly calls?: {
    readonly slowest?: readonly FlowCallTrace[];
    readonly failed?: readonly FlowCallTrace[];
    readonly unfinished?: readonly FlowCallTrace[];
  };
}

const traces = z.array(flowCallTraceSchema).optional();

const flowReportOptionsSchema = z.strictObject({
  title: z.string().optional(),
  flows: z.array(z.string()).optional(),
  registry: registrySchema.optional(),
  calls: z.strictObject({ slowest: traces, failed: traces, unfinished: traces }).optional(),
});

/**
 * The flow report of this process as one self-contained HTML page (no network: script, styles
 * and drawings inline, a CSP that forbids every request): each flow's DAG with its statistics
 * and drift, a table per flow, each step's registration site; a click on a node shows its
 * figures. Serve it on a development route. Throws `UNKNOWN_FLOW` for a flow in `flows` that
 * is not registered and `INVALID_ARGUMENT` for bad options.
 *
 * @example
 * app.get("/_penstock", (req, res) => res.type("html").send(flowReport()));
 */
export function flowReport(options?: FlowReportOptions): string {
  const { title = "penstock flow report", flows, registry = getRegistry(), calls } = parseOrThrow(
    flowReportOptionsSchema,
    options === undefined ? {} : options,
    "flowReport(options)",
  );
  const names = flows ?? registry.flowNames();
  const drawn: ReportFlow[] = names.map((name, i) => {
    const flow = registry.flow(name);
    const figures = { stats: flowStats(name, registry), diff: diffDag(name, registry) };
    const drawing = flowDrawing(flow, figures);
    return reportFlow(flow, figures, drawing, layoutSvg(drawing, `flow${i}`));
  });
  return renderReport({
    title,
    generatedAt: new Date().toISOString(),
    source: "live",
    flows: drawn,
    calls: { slowest: (calls?.slowest ?? []) as FlowCallTrace[], failed: (calls?.failed ?? []) as FlowCallTrace[], unfinished: (calls?.unfinished ?? []) as FlowCallTrace[] },
  });
}
