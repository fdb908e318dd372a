// assertConformance: diffDag as a test assertion, in plain words, for any test runner (it
// throws node's AssertionError, which jest, vitest and node:test all report as a failure).
import { AssertionError } from "node:assert";
import { z } from "zod";
import { diffDag, type DagDiff } from "../dag/diff-dag";
import { getRegistry } from "../registry/registry";
import { parseOrThrow } from "../internal/parse-or-throw";

/** Options of {@link assertConformance}. */
export interface AssertConformanceOptions {
  /** Also fail on declared edges never seen in order (`unexercised`). Default `false`. */
  readonly exhaustive?: boolean;
}

const optionsSchema = z.strictObject({ exhaustive: z.boolean({ message: "must be true or false" }).optional() });

const times = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
const seenIn = (example: string | undefined): string => (example === undefined ? "" : ` (e.g. correlation ID ${example})`);

/** Each finding of `diff` as a sentence. */
function findings(diff: DagDiff, exhaustive: boolean): string[] {
  const lines: string[] = [];
  for (const { from, to, count, example } of diff.undeclared) {
    lines.push(`"${from}" called "${to}" ${times(count, "time", "times")}, but the drawing has no path from "${from}" to "${to}"${seenIn(example)}.`);
  }
  for (const { from, to, count, example } of diff.outOfOrder) {
    lines.push(`"${to}" ran before "${from}" (${times(count, "call", "calls")} of "${from}"), but "${to}" is declared after "${from}"${seenIn(example)}.`);
  }
  for (const { step, count, example } of diff.unpreceded) {
    lines.push(`"${step}" ran ${times(count, "time", "times")} with none of its declared predecessors before it in its flow call${seenIn(example)}.`);
  }
  if (exhaustive) {
    for (const { from, to } of diff.unexercised) lines.push(`"${to}" is declared after "${from}", but "${from}" never ran before "${to}" in one flow call.`);
  }
  return lines;
}

/**
 * Passes silently when `flow` (every registered flow when omitted) ran as drawn since start or
 * the last `clearObservations()`; otherwise throws an `AssertionError` listing every
 * undeclared call, out-of-order pair and unpreceded step (with `exhaustive`, every declared
 * edge never exercised too), each with one correlation ID to look up. Throws `UNKNOWN_FLOW` for
 * a flow that is not registered.
 *
 * @example
 * beforeEach(() => clearObservations());
 * test("an order runs as drawn", async () => {
 *   await placeOrder(order);
 *   assertConformance("orders");
 * });
 */
export function assertConformance(flow?: string, options?: AssertConformanceOptions): void {
  if (flow !== undefined) parseOrThrow(z.string(), flow, "assertConformance(flow)");
  const { exhaustive = false } = parseOrThrow(optionsSchema, options ?? {}, "assertConformance(flow, options)");
  const registry = getRegistry();
  const problems: string[] = [];
  for (const name of flow === undefined ? registry.flowNames() : [flow]) {
    const lines = findings(diffDag(name, registry), exhaustive);
    if (lines.length > 0) problems.push(`flow "${name}" did not run as drawn:\n${lines.map((line) => `  - ${line}`).join("\n")}`);
  }
  if (problems.length === 0) return;
  throw new AssertionError({ message: `penstock: ${problems.join("\n")}`, operator: "assertConformance", stackStartFn: assertConformance });
}
