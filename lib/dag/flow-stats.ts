// flowStats: the figures of one flow since start or the last clear: flow calls, and per step
// its calls, errors and duration percentiles; per declared edge, how often it ran in order.
import { z } from "zod";
import { quantile } from "../observations/histogram";
import { observations } from "../observations/records";
import { getRegistry } from "../registry/registry";
import { parseOrThrow } from "../internal/parse-or-throw";
import type { Registry, StepKind } from "../types";
import { flowGraph } from "./graph";
import { registrySchema } from "./options";

/** Durations of a step's calls, in milliseconds. */
export interface DurationStats {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** One step's figures. */
export interface StepStats {
  readonly step: string;
  readonly kind: StepKind;
  readonly calls: number;
  /** Calls that threw or rejected with an error that was not expected. */
  readonly errors: number;
  /**
   * Calls that failed with an expected error (the `expected` option, configure({ expected })):
   * always in flowStats(); a FlowStats gathered elsewhere may leave it out.
   */
  readonly expected?: number;
  readonly durationMs: DurationStats;
}

/** What {@link flowStats} returns; `steps` sorted by name, `edges` by (`from`, `to`). */
export interface FlowStats {
  readonly flow: string;
  /** When the figures start: process start (penstock's load) or the last clear, ISO 8601. */
  readonly since: string;
  /** Flow calls in which a step of this flow ran. */
  readonly flowCalls: number;
  readonly steps: readonly StepStats[];
  /** Declared edges: times `from` ran before `to` in one flow call. */
  readonly edges: readonly { readonly from: string; readonly to: string; readonly count: number }[];
}

const NS_PER_MS = 1e6;
// Figures are rounded to the nanosecond: more digits only show the histogram's bucket arithmetic.
const ms = (ns: number): number => Math.round(ns) / NS_PER_MS;

/**
 * The statistics of `flow`, collected for every traced call whatever the backend. Calls and
 * errors are exact; percentiles are within 2 % from 1 µs to 1 hour (a fixed-size histogram per
 * step). Throws `UNKNOWN_FLOW` for a flow that is not registered.
 *
 * @example
 * flowStats("orders").steps.find((s) => s.step === "charge_payment")?.durationMs.p95 // 10.4
 */
export function flowStats(flow: string, registry: Registry = getRegistry()): FlowStats {
  parseOrThrow(z.string(), flow, "flowStats(flow)");
  parseOrThrow(registrySchema, registry, "flowStats(flow, registry)");
  const graph = flowGraph(registry.flow(flow));
  const record = observations.flows.get(flow);
  const steps: StepStats[] = [];
  for (const node of graph.nodes) {
    if (node.kind === "unknown") continue;
    const step = record?.steps.get(node.name);
    const histogram = step?.histogram;
    steps.push({
      step: node.name,
      kind: node.kind,
      calls: step?.calls ?? 0,
      errors: step?.errors ?? 0,
      expected: step?.expected ?? 0,
      durationMs:
        histogram === undefined || histogram.total === 0
          ? { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 }
          : {
              p50: ms(quantile(histogram, 0.5)),
              p95: ms(quantile(histogram, 0.95)),
              p99: ms(quantile(histogram, 0.99)),
              max: ms(histogram.max),
              mean: ms(histogram.sum / histogram.total),
            },
    });
  }
  const edges = graph.edges.map(({ from, to }) => {
    const target = record?.steps.get(to);
    const at = target === undefined ? -1 : target.preds.findIndex((pred) => pred.name === from);
    return { from, to, count: at < 0 ? 0 : target!.predRan[at]! };
  });
  return { flow, since: new Date(observations.since).toISOString(), flowCalls: record?.flowCalls ?? 0, steps, edges };
}
