// A unified diff (the `diff -u` / `git diff` format) of two texts, for `penstock dag --check`,
// computed by jsdiff (the `diff` package).
import { createTwoFilesPatch, FILE_HEADERS_ONLY, formatPatch } from "diff";

/**
 * Past this many differing lines jsdiff's search for the shortest edit (quadratic in it) is cut
 * short and the whole text is replaced in one hunk instead: still a correct diff.
 */
const MAX_EDIT_LENGTH = 2000;

/** Labels of the two sides, as written after `---` and `+++`. */
export interface DiffLabels {
  readonly from: string;
  readonly to: string;
}

/**
 * The unified diff turning `before` into `after` with `context` lines around each change,
 * or `""` when the texts are equal. Its output can be applied with `git apply` or `patch`.
 *
 * @example
 * unifiedDiff("a\nb\n", "a\nc\n", { from: "a/flows.md", to: "b/flows.md" })
 * // "--- a/flows.md\n+++ b/flows.md\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
 */
export function unifiedDiff(before: string, after: string, labels: DiffLabels, context = 3): string {
  if (before === after) return "";
  const options = { context, maxEditLength: MAX_EDIT_LENGTH, headerOptions: FILE_HEADERS_ONLY };
  return createTwoFilesPatch(labels.from, labels.to, before, after, undefined, undefined, options) ?? wholeReplacement(before, after, labels);
}

/** Lines of one side as hunk lines, marking a last line without a newline as diff marks it. */
function hunkLines(prefix: "-" | "+", text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return lines.flatMap((line) => (line.endsWith("\n") ? [prefix + line.slice(0, -1)] : [prefix + line, "\\ No newline at end of file"]));
}

function wholeReplacement(before: string, after: string, labels: DiffLabels): string {
  const removed = hunkLines("-", before);
  const added = hunkLines("+", after);
  const count = (lines: string[]): number => lines.filter((line) => !line.startsWith("\\")).length;
  const [oldLines, newLines] = [count(removed), count(added)];
  // jsdiff's convention: a range starts at 1 even when empty (formatPatch writes it as 0).
  const hunk = { oldStart: 1, oldLines, newStart: 1, newLines, lines: [...removed, ...added] };
  return formatPatch({ oldFileName: labels.from, newFileName: labels.to, oldHeader: undefined, newHeader: undefined, hunks: [hunk] }, FILE_HEADERS_ONLY);
}
