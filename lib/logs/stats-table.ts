// The figures of a flow as a table in the terminal: the `--stats` output without --format.
import type { FlowStats } from "../dag/flow-stats";
import { terminalText } from "./terminal-text";

function table(rows: readonly (readonly string[])[], right: ReadonlySet<number>): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) => row.map((cell, column) => (right.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join("  ").trimEnd())
    .join("\n");
}

const fixed = (value: number): string => value.toFixed(2);

/**
 * `stats` as text: the flow calls, then a row per step (calls, errors, expected, p50, p95,
 * p99, max in ms), then each edge with its count.
 *
 * @example
 * process.stdout.write(statsTable(summary.stats.get("orders")!));
 */
export function statsTable(stats: FlowStats): string {
  const rows = [["step", "kind", "calls", "errors", "expected", "p50 ms", "p95 ms", "p99 ms", "max ms"]];
  for (const step of stats.steps) {
    const { p50, p95, p99, max } = step.durationMs;
    rows.push([terminalText(step.step, 60), step.kind, String(step.calls), String(step.errors), String(step.expected ?? 0), fixed(p50), fixed(p95), fixed(p99), fixed(max)]);
  }
  let out = `flow ${terminalText(stats.flow)}: ${stats.flowCalls} flow call${stats.flowCalls === 1 ? "" : "s"} since ${stats.since}\n\n`;
  out += `${table(rows, new Set([2, 3, 4, 5, 6, 7, 8]))}\n`;
  if (stats.edges.length > 0) {
    const edgeRows = [["edge", "count"], ...stats.edges.map(({ from, to, count }) => [`${terminalText(from, 60)} -> ${terminalText(to, 60)}`, String(count)])];
    out += `\n${table(edgeRows, new Set([1]))}\n`;
  }
  return out;
}
