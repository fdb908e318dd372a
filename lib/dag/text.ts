// What a name looks like when drawn: control characters made visible, never interpreted.

// C0 controls, DEL, C1 controls, the Unicode line and paragraph separators, and (in `u` mode a
// surrogate range only matches a surrogate without its pair) lone surrogates.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/gu;
const HAS_UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/u;

function picture(char: string): string {
  const code = char.charCodeAt(0);
  // U+2400.. are the Control Pictures (␀ ␁ ... ␟), U+2421 is ␡; the rest has no picture.
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  return "\ufffd";
}

/** True when `name` holds a character that {@link visibleText} would replace. */
export function hasUnprintable(name: string): boolean {
  return HAS_UNPRINTABLE.test(name);
}

/**
 * `name` on one line and safe to write as UTF-8: C0 controls and DEL become their Control
 * Pictures (a newline shows as `␊`), other line breaks and lone surrogates become `\ufffd`.
 * A drawing must never let a name start a new statement.
 *
 * @example
 * visibleText("a\nb") // "a␊b"
 */
export function visibleText(name: string): string {
  return name.replace(UNPRINTABLE, picture);
}
