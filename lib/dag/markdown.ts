// Markdown: a heading and a Mermaid block per flow, for architecture docs kept in the repo.
import { compareNames, type FlowGraph } from "./graph";
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
export function markdownFlows(graphs: readonly FlowGraph[], options: MermaidOptions): string {
  return [...graphs]
    .sort((a, b) => compareNames(a.flow, b.flow))
    .map((graph) => `## ${markdownText(graph.flow)}\n\n\`\`\`mermaid\n${mermaidFlow(graph, options)}\`\`\`\n`)
    .join("\n");
}
