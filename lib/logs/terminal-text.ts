// Text from the logs made safe to print: control characters (terminal escapes, carriage
// returns, bidirectional overrides) shown as escapes, and huge fields cut short.

/** The most characters of one field printed; the rest is replaced by a count. */
export const MAX_FIELD_LENGTH = 200;

// C0 and C1 controls, DEL, the line and paragraph separators, and the bidirectional controls.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (char: string): string => {
  const code = char.charCodeAt(0);
  if (char === "\n") return "\\n";
  if (char === "\r") return "\\r";
  if (char === "\t") return "\\t";
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/**
 * `text` as one printable line: escapes for control characters, and at most `max` characters
 * of it followed by how many were left out.
 *
 * @example
 * terminalText("\u001b[31mred") // "\\x1b[31mred"
 */
export function terminalText(text: string, max: number = MAX_FIELD_LENGTH): string {
  if (text.length <= max) return text.replace(UNSAFE, escape);
  // A message the reader already cut (lib/logs/parse-record.ts) says how long it was.
  const total = Number(CUT.exec(text)?.[1] ?? text.length);
  return `${text.slice(0, max).replace(UNSAFE, escape)}… (${total - max} more characters)`;
}

const CUT = /… \((\d+) characters in all\)$/;
