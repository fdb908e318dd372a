// Markdown: a heading and a Mermaid block per flow, for architecture docs kept in the repo.
import { compareNames, type FlowGraph } from "./graph";
import type { FlowExtras } from "./json";
import { formatDuration } from "./overlay";
import { mermaidFlow, type MermaidOptions } from "./mermaid";
import { visibleText } from "./text";

// Characters that start inline markup anywhere in a heading. `_` only emphasises when it is
// not between letters or digits, so `user_update` stays as it is.
const MARKUP = /[\\`*[\]<>&#|~!]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/**
 * `name` as the text of a Markdown heading, markup characters backslash-escaped.
 *
 * @example
 * markdownText("a*b*") // "a\\*b\\*"
 */
export function markdownText(name: string): string {
  return visibleText(name).replace(MARKUP, "\\$&");
}

/**
 * For each flow (sorted): `## <flow>`, a blank line, and its Mermaid drawing in a fenced
 * block; sections are separated by a blank line. No flows give an empty string.
 *
 * @example
 * markdownFlows([flowGraph(registry.flow("orders"))], { direction: "TD", decorate: false })
 * // "## orders\n\n```mermaid\ngraph TD\n    receive --> validate\n```\n"
 */
export function markdownFlows(graphs: readonly FlowGraph[], options: MermaidOptions, extras: ReadonlyMap<string, FlowExtras> = new Map()): string {
  return [...graphs]
    .sort((a, b) => compareNames(a.flow, b.flow))
    .map((graph) => `## ${markdownText(graph.flow)}\n\n\`\`\`mermaid\n${mermaidFlow(graph, options)}\`\`\`\n${statsTable(extras.get(graph.flow))}`)
    .join("\n");
}

// A table cell: the heading's escapes, and `|` (escaped there too) cannot end the cell.
const cell = (name: string): string => markdownText(name);

/** With `stats`: the numbers under the drawing, one row per step (lib/dag/overlay.ts). */
function statsTable(extra: FlowExtras | undefined): string {
  const stats = extra?.stats;
  if (stats === undefined) return "";
  let out = `\n${stats.flowCalls} flow ${stats.flowCalls === 1 ? "call" : "calls"} since ${stats.since ?? "start"}.\n\n`;
  out += "| step | calls | errors | p50 | p95 | p99 | max | mean |\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const step of stats.steps) {
    const d = step.durationMs;
    out += `| ${cell(step.step)} | ${step.calls} | ${step.errors} | ${[d.p50, d.p95, d.p99, d.max, d.mean].map(formatDuration).join(" | ")} |\n`;
  }
  return out;
}
