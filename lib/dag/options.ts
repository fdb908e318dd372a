// The options of generateDag and the zod schema that checks them at the door.
import { z } from "zod";
import type { Registry } from "../types";
import type { FlowStats } from "./flow-stats";
import type { ColorBy } from "./overlay";

/** The text formats {@link generateDag} can produce. */
export type DagFormat = "mermaid" | "markdown" | "dot" | "json";

/** Top-down (`"TD"`) or left-to-right (`"LR"`). DOT spells them `TB` and `LR`. */
export type DagDirection = "TD" | "LR";

/**
 * Options of {@link generateDag}.
 *
 * @example
 * generateDag("orders", { format: "dot", direction: "LR", output: "docs/orders.dot" });
 */
export interface GenerateDagOptions {
  /** `"mermaid"` (default), `"markdown"` (a Mermaid block per flow), `"dot"` (Graphviz) or `"json"`. */
  readonly format?: DagFormat;
  /** Layout direction of Mermaid and DOT drawings. Default `"TD"`. */
  readonly direction?: DagDirection;
  /** Also write the text to this file (UTF-8), creating missing parent directories. */
  readonly output?: string;
  /** The registry to draw. Default: `getRegistry()`, everything registered so far. */
  readonly registry?: Registry;
  /**
   * Mermaid and markdown only: draw entrypoints as stadiums `(["name"])`. Default `true`, except
   * for one flow as `"mermaid"`, which stays the plain format unless `decorate: true`. DOT always
   * marks them.
   */
  readonly decorate?: boolean;
  /**
   * Mark the drift between the declarations and the calls seen at run time (see `diffDag`):
   * undeclared calls drawn dashed and labelled `undeclared`, declared edges never seen
   * labelled `unexercised`; JSON gets a `drift` member per flow. Default `false`.
   */
  readonly observed?: boolean;
  /**
   * Draw what ran: each node's calls, p95 and error rate, each declared edge's count (times
   * `from` ran before `to`). `true` for `flowStats` of each flow drawn, or a `FlowStats` record
   * gathered elsewhere (drawn on the flow it names). JSON and Markdown get the numbers; DOT also
   * fills the nodes on a colour scale, with a legend. Default `false`.
   */
  readonly stats?: boolean | FlowStats;
  /** DOT (and SVG) with `stats`: colour the nodes by `"p95"` (default) or `"errorRate"`. */
  readonly colorBy?: ColorBy;
}

/** Accepts anything shaped like a registry snapshot, so hand-made registries work in tests. */
export const registrySchema = z.custom<Registry>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<Registry>).flow === "function" &&
    typeof (value as Partial<Registry>).flowNames === "function",
  { message: "expected a registry such as the one getRegistry() returns" },
);

/** The schema of {@link GenerateDagOptions}: unknown keys are rejected, not ignored. */
export const generateDagOptionsSchema = z.strictObject({
  format: z.enum(["mermaid", "markdown", "dot", "json"]).optional(),
  direction: z.enum(["TD", "LR"]).optional(),
  output: z.string().min(1).optional(),
  registry: registrySchema.optional(),
  decorate: z.boolean().optional(),
  observed: z.boolean().optional(),
  // true/false, or a FlowStats record (checked by flowStatsSchema, so errors name its fields).
  stats: z.unknown().optional(),
  colorBy: z.enum(["p95", "errorRate"]).optional(),
});

const count = z.number().int().nonnegative();
const milliseconds = z.number().nonnegative();

/** The schema of a {@link FlowStats} handed to generateDag: figures gathered elsewhere. */
export const flowStatsSchema = z.looseObject({
  flow: z.string(),
  since: z.string().optional(),
  flowCalls: count,
  steps: z.array(
    z.looseObject({
      step: z.string(),
      kind: z.enum(["entrypoint", "step"]).optional(),
      calls: count,
      errors: count,
      expected: count.optional(),
      durationMs: z.looseObject({ p50: milliseconds, p95: milliseconds, p99: milliseconds, max: milliseconds, mean: milliseconds }),
    }),
  ),
  edges: z.array(z.looseObject({ from: z.string(), to: z.string(), count })),
});
