// Runs every bench/*.bench.mjs case against dist/ (build first: `npm run bench` does), each in
// its own process, and prints Markdown for docs/performance.md.
//
//   node bench/run.mjs                       the current build
//   node bench/run.mjs --baseline <git-ref>  also against <git-ref>, built into .bench/<sha>/
//   node bench/run.mjs step-call             only the named cases
//
// A case prints JSON: { title, description, perRound: { task: [ns per call, ...] },
// paired?: { task, main: [...], baseline: [...] } }. With a baseline, a case runs twice, the
// builds swapping roles, and the cost of the current build over the baseline is half the
// difference of the two runs' median paired differences (what either role gains cancels out).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { values, positionals } = parseArgs({ options: { baseline: { type: "string" } }, allowPositionals: true });

/** Builds `ref` (its lib/ and build config) into .bench/<sha>/dist, once. */
function buildBaseline(ref) {
  const sha = execFileSync("git", ["rev-parse", "--short", ref], { cwd: root, encoding: "utf8" }).trim();
  const dir = join(root, ".bench", sha);
  if (!existsSync(join(dir, "dist", "index.js"))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync("git", ["archive", sha, "lib", "package.json", "tsconfig.json", "tsup.config.ts"], { cwd: root, maxBuffer: 64 << 20 });
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
    execFileSync(process.execPath, [join(root, "node_modules", "tsup", "dist", "cli-default.js")], { cwd: dir, stdio: "ignore" });
  }
  return { sha, dist: join(dir, "dist") };
}

const median = (numbers) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];
const ns = (value) => `${value.toFixed(1)} ns`;
const current = join(root, "dist");
const baseline = values.baseline === undefined ? undefined : buildBaseline(values.baseline);

function runCase(file, dist, against) {
  const args = [join(root, "bench", file), "--dist", dist, ...(against === undefined ? [] : ["--baseline", against])];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8" }));
}

const cpu = cpus();
let out = `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}${baseline ? `, against ${baseline.sha}` : ""}\n\n`;
for (const file of readdirSync(join(root, "bench")).filter((f) => f.endsWith(".bench.mjs"))) {
  if (positionals.length > 0 && !positionals.includes(file.slice(0, -".bench.mjs".length))) continue;
  const result = runCase(file, current, baseline?.dist);
  // A case may measure a rate instead of a time per call (unit "req/s"), and add a summary line.
  const rate = result.unit === "req/s";
  out += `### ${result.title}\n\n${result.description}\n\n| task | ${rate ? "requests/s" : "per call"} |\n|---|---:|\n`;
  for (const [task, rounds] of Object.entries(result.perRound)) out += `| ${task} | ${rate ? Math.round(median(rounds)) : ns(median(rounds))} |\n`;
  if (result.summary !== undefined) out += `\n${result.summary}\n`;
  if (baseline !== undefined && result.paired !== undefined) {
    const swapped = runCase(file, baseline.dist, current);
    const diff = ({ main, baseline: other }) => median(main.map((value, i) => value - other[i]));
    const asMain = diff(result.paired);
    const asBaseline = diff(swapped.paired);
    out +=
      `\n${result.paired.task}, current minus ${baseline.sha}: ${ns((asMain - asBaseline) / 2)} per call ` +
      `(median paired difference ${ns(asMain)} with the current build loaded first, ${ns(-asBaseline)} with it loaded second).\n`;
  }
  out += "\n";
}
process.stdout.write(out);
