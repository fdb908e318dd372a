// The unified diff of `penstock dag --check`: the format diff -u writes, applied by real patch.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unifiedDiff } from "../../lib/cli/text-diff";

const labels = { from: "a/f.md", to: "b/f.md" };

// A small seeded generator (mulberry32): the same texts on every run.
function random(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

test("equal texts have no diff", () => {
  expect(unifiedDiff("a\nb\n", "a\nb\n", labels)).toBe("");
  expect(unifiedDiff("", "", labels)).toBe("");
});

test("the unified format: labels, hunk ranges, context lines", () => {
  expect(unifiedDiff("a\nb\nc\n", "a\nB\nc\n", labels)).toBe("--- a/f.md\n+++ b/f.md\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  expect(unifiedDiff("x\n", "y\n", labels)).toBe("--- a/f.md\n+++ b/f.md\n@@ -1,1 +1,1 @@\n-x\n+y\n");
  expect(unifiedDiff("", "x\ny\n", { from: "/dev/null", to: "b/f.md" })).toBe("--- /dev/null\n+++ b/f.md\n@@ -0,0 +1,2 @@\n+x\n+y\n");
  expect(unifiedDiff("x\n", "", labels)).toBe("--- a/f.md\n+++ b/f.md\n@@ -1,1 +0,0 @@\n-x\n");
});

test("changes far apart are separate hunks; close ones share one", () => {
  const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
  const text = (edit: (l: string[]) => void): string => {
    const copy = [...lines];
    edit(copy);
    return `${copy.join("\n")}\n`;
  };
  const far = unifiedDiff(text(() => undefined), text((l) => ((l[2] = "two"), (l[17] = "seventeen"))), labels);
  expect(far.match(/^@@ .* @@$/gm)).toEqual(["@@ -1,6 +1,6 @@", "@@ -15,6 +15,6 @@"]);
  const near = unifiedDiff(text(() => undefined), text((l) => ((l[2] = "two"), (l[8] = "eight"))), labels);
  expect(near.match(/^@@ .* @@$/gm)).toEqual(["@@ -1,12 +1,12 @@"]);
});

test("a last line without a newline is marked as diff marks it", () => {
  expect(unifiedDiff("a\nb", "a\nb\n", labels)).toBe("--- a/f.md\n+++ b/f.md\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
});

describe("against the real diff and patch", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "penstock-diff-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function applies(before: string, after: string, diff: string): boolean {
    writeFileSync(join(dir, "f.md"), before);
    const patched = spawnSync("patch", ["--quiet", "-p1", "-o", join(dir, "out.md"), join(dir, "f.md")], { cwd: dir, input: diff, encoding: "utf8" });
    return patched.status === 0 && readFileSync(join(dir, "out.md"), "utf8") === after;
  }

  // Lines changed, as counted from a diff without context.
  const changed = (diff: string): number => diff.split("\n").filter((line) => /^[-+](?![-+]{2} )/.test(line)).length;

  test("150 random pairs of texts: patch turns one into the other, and no diff is longer than diff's own", () => {
    const next = random(42);
    const text = (): string => {
      const lines = Array.from({ length: next(25) }, () => "abcdef"[next(6)]!);
      return lines.join("\n") + (lines.length > 0 && next(4) > 0 ? "\n" : "");
    };
    const failures: string[] = [];
    for (let i = 0; i < 150; i++) {
      const [before, after] = [text(), text()];
      if (before === after) continue;
      const context = next(4);
      const ours = unifiedDiff(before, after, labels, context);
      if (!applies(before, after, ours)) failures.push(`patch rejects: ${JSON.stringify({ before, after, context })}`);
      writeFileSync(join(dir, "before"), before);
      writeFileSync(join(dir, "after"), after);
      const theirs = spawnSync("diff", ["-U0", "before", "after"], { cwd: dir, encoding: "utf8" }).stdout;
      if (changed(unifiedDiff(before, after, labels, 0)) > changed(theirs)) failures.push(`longer than diff: ${JSON.stringify({ before, after })}`);
    }
    expect(failures).toEqual([]);
  });

  test("texts too different for the shortest edit: still a correct diff", () => {
    const before = Array.from({ length: 3000 }, (_, i) => `old ${i}\n`).join("");
    const after = Array.from({ length: 3000 }, (_, i) => `new ${i}\n`).join("");
    const diff = unifiedDiff(`same\n${before}same\n`, `same\n${after}same\n`, labels);
    expect(diff.startsWith("--- a/f.md\n+++ b/f.md\n@@ -1,3002 +1,3002 @@\n-same\n-old 0\n")).toBe(true);
    expect(applies(`same\n${before}same\n`, `same\n${after}same\n`, diff)).toBe(true);
    const unterminated = unifiedDiff(before.trimEnd(), after, labels);
    expect(unterminated).toContain("-old 2999\n\\ No newline at end of file\n+new 0\n");
    expect(applies(before.trimEnd(), after, unterminated)).toBe(true);
    expect(applies(before, "", unifiedDiff(before, "", labels))).toBe(true);
  });
});
