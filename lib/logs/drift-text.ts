// The drift of a flow as text: one line per finding, each with a correlation ID to pass to --id.
import type { DagDiff } from "../dag/diff-dag";
import { terminalText } from "./terminal-text";

const t = (text: string): string => terminalText(text, 80);
const times = (count: number, one: string): string => `${count} ${one}${count === 1 ? "" : "s"}`;
const seen = (example: string | undefined): string => (example === undefined ? "" : `, e.g. --id ${t(example)}`);

/** How many findings `diff` holds. */
export function findingCount(diff: DagDiff): number {
  return diff.undeclared.length + diff.unexercised.length + diff.outOfOrder.length + diff.unpreceded.length;
}

/**
 * The findings of `diff` for `flow`, one a line (none: "no drift").
 *
 * @example
 * "orders: 1 finding\n  undeclared    charge_payment -> audit (3 calls, e.g. --id 4bf9…)\n"
 */
export function driftText(flow: string, diff: DagDiff): string {
  const count = findingCount(diff);
  if (count === 0) return `${t(flow)}: no drift\n`;
  let out = `${t(flow)}: ${times(count, "finding")}\n`;
  for (const { from, to, count: calls, example } of diff.undeclared) out += `  undeclared    ${t(from)} -> ${t(to)} (${times(calls, "call")}${seen(example)}): called, but the drawing has no path\n`;
  for (const { from, to, count: calls, example } of diff.outOfOrder) out += `  out of order  ${t(from)} -> ${t(to)} (${times(calls, "call")} of ${t(from)} after ${t(to)}${seen(example)})\n`;
  for (const { step, count: calls, example } of diff.unpreceded) out += `  unpreceded    ${t(step)} (${times(calls, "call")} with none of its predecessors before it${seen(example)})\n`;
  for (const { from, to } of diff.unexercised) out += `  unexercised   ${t(from)} -> ${t(to)} (declared, never seen in order)\n`;
  return out;
}
