// Leaks: 1,000,000 step calls and 100,000 completed flows (plus generator iterations and
// bindFlow callbacks) retain nothing. Measured in a child `node --expose-gc` against dist/
// (npm test builds it first): heap used after GC within 1 MiB of the warmed-up baseline.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const SCRIPT = join(__dirname, "fixtures", "leak.mjs");
const MiB = 1024 * 1024;

function measure(args: string[]): { baseline: number; after: number; delta: number } {
  // The timeout only guards against a hang (the child is killed and the test fails); it is not a performance assertion.
  const child = spawnSync(process.execPath, ["--expose-gc", SCRIPT, ...args], { encoding: "utf8", timeout: 120_000 });
  if (child.status !== 0) throw new Error(`leak script failed (status ${child.status}, signal ${child.signal}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop()!);
}

test("1,000,000 step calls and 100,000 completed flows leave the heap within 1 MiB", () => {
  const { delta } = measure(["1000000", "100000"]);
  expect(delta).toBeLessThan(MiB);
}, 150_000);

test("control: the same measurement sees flows that are deliberately kept", () => {
  const { delta } = measure(["1000", "20000", "control"]);
  expect(delta).toBeGreaterThan(MiB);
}, 150_000);
