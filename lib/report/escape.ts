// Text made safe for the markup the report writes itself: HTML text and attributes, SVG.

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * `text` as HTML/XML text or a quoted attribute value: `& < > " '` as entities. Control
 * characters are the caller's to make visible (visibleText); NUL never reaches markup from here.
 *
 * @example
 * escapeMarkup('<b title="x">') // "&lt;b title=&quot;x&quot;&gt;"
 */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!).replace(/\u0000/g, "\ufffd");
}

/**
 * `value` as JSON to put inside `<script type="application/json">`: `<`, `>` and `&` escaped,
 * so no `</script>` or `<!--` can end or change the element, and U+2028/U+2029 escaped, so the
 * text is also a valid JavaScript string. JSON.parse of the element's text gives `value` back.
 *
 * @example
 * embeddedJson({ name: "</script>" }) // '{"name":"\\u003c/script\\u003e"}'
 */
export function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
