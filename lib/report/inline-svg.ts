// Graphviz's SVG document made an element to inline in the page: no XML prolog, no DOCTYPE, no
// comments, and element ids made unique in a page that holds one drawing per flow.

/**
 * The `<svg>` element of Graphviz's output `document`, each `id="..."` prefixed with `prefix-`.
 * Graphviz escapes every name it writes (`<`, `>`, `&`, `"` and `-` as entities), so an `id="`
 * can only be one of its own attributes, and no comment can hold `-->`.
 *
 * @example
 * inlineSvg('<?xml ...?>\n<svg ...><g id="node1" class="node">...', "flow0") // '<svg ...><g id="flow0-node1" ...'
 */
export function inlineSvg(document: string, prefix: string): string {
  const start = document.indexOf("<svg");
  if (start < 0) throw new Error("Graphviz returned no <svg> element");
  return document
    .slice(start)
    .replace(/<!--[\s\S]*?-->\n?/g, "")
    .replace(/ id="/g, ` id="${prefix}-`)
    .trimEnd();
}
