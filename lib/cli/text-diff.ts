// A unified diff (the `diff -u` / `git diff` format) of two texts, for `penstock dag --check`.
// Myers' O(ND) algorithm: the files it compares are generated docs, nearly equal as a rule.

const EQUAL = 0;
const DELETE = 1;
const INSERT = 2;
type OpKind = typeof EQUAL | typeof DELETE | typeof INSERT;

interface Op {
  readonly kind: OpKind;
  readonly line: string;
}

/**
 * Past this many differing lines the diff stops looking for the shortest edit (whose memory
 * grows with its square) and replaces the whole differing middle: still a correct diff.
 */
const MAX_EDIT_DISTANCE = 2000;

/** Lines with their terminator, so that a last line without one differs from the same with it. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

// Myers' greedy forward search, keeping each round's furthest points so the path can be
// walked back. `a` and `b` share no first or last line (trimmed by the caller).
function shortestEdit(a: readonly string[], b: readonly string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, MAX_EDIT_DISTANCE); d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d);
    }
  }
  return undefined;
}

function backtrack(a: readonly string[], b: readonly string[], trace: readonly Int32Array[], distance: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = distance; d > 0; d--) {
    // trace[d] holds v[-d-1 .. d+1] as it was when round d began.
    const at = (k: number): number => trace[d]![k + d + 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      ops.push({ kind: EQUAL, line: a[--x]! });
      y--;
    }
    if (down) ops.push({ kind: INSERT, line: b[--y]! });
    else ops.push({ kind: DELETE, line: a[--x]! });
  }
  // Round 0 is a snake from the origin: x === y here.
  while (x > 0) ops.push({ kind: EQUAL, line: a[--x]! });
  return ops.reverse();
}

function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  const middle = shortestEdit(middleA, middleB) ?? [
    ...middleA.map((line): Op => ({ kind: DELETE, line })),
    ...middleB.map((line): Op => ({ kind: INSERT, line })),
  ];
  const equal = (line: string): Op => ({ kind: EQUAL, line });
  return [...a.slice(0, start).map(equal), ...middle, ...a.slice(endA).map(equal)];
}

// `start,length` as diff writes it: the length is left out when it is 1, and an empty range
// starts at the line before it.
function range(start: number, length: number): string {
  if (length === 1) return `${start + 1}`;
  return `${length === 0 ? start : start + 1},${length}`;
}

function lineText(prefix: string, line: string): string {
  return line.endsWith("\n") ? `${prefix}${line}` : `${prefix}${line}\n\\ No newline at end of file\n`;
}

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
  const ops = editScript(splitLines(before), splitLines(after));
  // Lines of each side consumed before each op.
  const oldBefore: number[] = [];
  const newBefore: number[] = [];
  let oldLine = 0;
  let newLine = 0;
  for (const op of ops) {
    oldBefore.push(oldLine);
    newBefore.push(newLine);
    if (op.kind !== INSERT) oldLine++;
    if (op.kind !== DELETE) newLine++;
  }
  const changes = ops.flatMap((op, i) => (op.kind === EQUAL ? [] : [i]));
  let out = `--- ${labels.from}\n+++ ${labels.to}\n`;
  for (let c = 0; c < changes.length; ) {
    // A hunk runs on while the next change is close enough for their contexts to touch.
    let last = c;
    while (last + 1 < changes.length && changes[last + 1]! - changes[last]! - 1 <= 2 * context) last++;
    const first = Math.max(0, changes[c]! - context);
    const end = Math.min(ops.length, changes[last]! + context + 1);
    const hunk = ops.slice(first, end);
    const oldLength = hunk.filter((op) => op.kind !== INSERT).length;
    const newLength = hunk.filter((op) => op.kind !== DELETE).length;
    out += `@@ -${range(oldBefore[first]!, oldLength)} +${range(newBefore[first]!, newLength)} @@\n`;
    for (const op of hunk) out += lineText(op.kind === EQUAL ? " " : op.kind === DELETE ? "-" : "+", op.line);
    c = last + 1;
  }
  return out;
}
