// Runs every bench/*.bench.mjs case against dist/ (build first: `npm run bench` does), each in
// its own process, and prints Markdown for docs/performance.md: one summary table of every
// case's rows, then each case's section.
//
//   node bench/run.mjs                       the current build, every case
//   node bench/run.mjs core logging          only the named cases (file name without .bench.mjs)
//   node bench/run.mjs --quick               fewer rounds per case (a first look, not figures)
//   node bench/run.mjs --baseline <git-ref>  also against <git-ref>, built into .bench/<sha>/
//   node bench/run.mjs --node 20,22,24       every case under each of these Node majors (the
//                                            machine's node for its own major, otherwise the
//                                            pinned binary of scripts/node-binary.mjs): one
//                                            column per version; the JSON of every case is
//                                            written to .bench/results.json
//
// A case is run as `node bench/<name>.bench.mjs --dist <dist> [--baseline <dist>]`, with the
// environment variable PENSTOCK_BENCH_QUICK=1 under --quick (an environment variable, so that a
// case with a strict argument parser that knows no --quick still runs), and prints one line
// of JSON:
//
//   {
//     title: string,                   // the case's name, e.g. "logging"
//     description: string,             // one or two sentences: what each side does, how measured
//     rows?: [{                        // the rows of the summary table
//       case: string,                  // e.g. "logging: async step"
//       penstock: string,              // penstock's figure, formatted ("3.4 µs", "1294 ms", "12k req/s")
//       twin: string,                  // the hand-written twin's figure, or "—" when there is none
//       ratio: number,                 // the median of the per-round ratios
//       ratioText?: string,            // shown instead of "<ratio>×" (memory: "+0.05 MiB")
//       spread?: [low, high],          // the spread of the per-round ratios: the interquartile range
//       range?: [min, max],            // the min and max of the per-round ratios (JSON only)
//       goal: string,                  // e.g. "≤ 1.1×", "≥ 0.9× throughput"
//       met?: boolean,                 // whether the ratio meets the goal (undefined: no goal)
//       rounds?: number[],             // the per-round ratios (kept in the JSON, not printed)
//     }],
//     perRound?: { [task]: number[] }, // per round: ns per call, or requests/s with unit "req/s"
//     unit?: "req/s",                  // perRound holds rates, not times
//     summary?: string,                // Markdown printed after the case's table
//     paired?: { task, main: number[], baseline: number[] }, // for --baseline, see below
//   }
//
// With a baseline, a case that reports `paired` runs twice, the builds swapping roles, and the
// cost of the current build over the baseline is half the difference of the two runs' median
// paired differences (what either role gains cancels out). Cases without `paired` ignore it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { values, positionals } = parseArgs({
  options: { baseline: { type: "string" }, quick: { type: "boolean", default: false }, node: { type: "string" } },
  allowPositionals: true,
});

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
const ratio = (value) => `${value.toFixed(2)}×`;
const current = join(root, "dist");
const baseline = values.baseline === undefined ? undefined : buildBaseline(values.baseline);

function runCase(file, dist, against, binary = process.execPath) {
  const args = [join(root, "bench", file), "--dist", dist, ...(against === undefined ? [] : ["--baseline", against])];
  const env = values.quick ? { ...process.env, PENSTOCK_BENCH_QUICK: "1" } : process.env;
  return JSON.parse(execFileSync(binary, args, { encoding: "utf8", maxBuffer: 64 << 20, env }));
}

/** The Node binary of `major`: this process's own for its major, else the pinned one (downloaded once). */
async function binaryOf(major) {
  if (String(major) === process.versions.node.split(".")[0]) return process.execPath;
  const { nodeBinary } = await import("../scripts/node-binary.mjs");
  return nodeBinary(major);
}

const cpu = cpus();
const files = readdirSync(join(root, "bench"))
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => positionals.length === 0 || positionals.includes(f.slice(0, -".bench.mjs".length)));
if (values.node !== undefined) await acrossVersions(values.node.split(",").map((major) => major.trim()).filter(Boolean));
else oneVersion();

/**
 * --node: each case under each version in turn (case by case, so the versions of one case run
 * minutes apart, not a whole run apart), then one summary table with a column per version.
 */
async function acrossVersions(majors) {
  const binaries = [];
  for (const major of majors) binaries.push(await binaryOf(major));
  const versions = binaries.map((binary) => execFileSync(binary, ["--version"], { encoding: "utf8" }).trim());
  const started = Date.now();
  const loadAtStart = loadavg()[0].toFixed(2);
  const results = {};
  for (const file of files) {
    for (const [i, binary] of binaries.entries()) {
      process.stderr.write(`bench: ${file} on Node ${versions[i]}\n`);
      (results[file] ??= []).push(runCase(file, current, undefined, binary));
    }
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  let out = `${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, Node ${versions.join(", ")}, load average ${loadAtStart} at the start and ${loadavg()[0].toFixed(2)} at the end, ${minutes} min${values.quick ? ", --quick" : ""}\n\n`;
  out += `| case | goal | ${versions.map((v) => `Node ${v}`).join(" | ")} |\n|---|---|${versions.map(() => "---:|").join("")}\n`;
  for (const file of files) {
    const perVersion = results[file];
    for (const [r, row] of (perVersion[0].rows ?? []).entries()) {
      const cells = perVersion.map((result) => {
        const same = result.rows?.[r];
        if (same === undefined) return "—";
        const spread = same.spread === undefined ? "" : ` (${same.spread[0].toFixed(2)}–${same.spread[1].toFixed(2)})`;
        const met = same.met === undefined ? "" : same.met ? "" : " **no**";
        return `${same.ratioText ?? ratio(same.ratio)}${spread}${met}`;
      });
      out += `| ${row.case} | ${row.goal} | ${cells.join(" | ")} |\n`;
    }
  }
  out += "\nFigures per side (penstock / twin):\n\n";
  out += `| case | ${versions.map((v) => `Node ${v}`).join(" | ")} |\n|---|${versions.map(() => "---:|").join("")}\n`;
  for (const file of files) {
    const perVersion = results[file];
    for (const [r, row] of (perVersion[0].rows ?? []).entries()) {
      out += `| ${row.case} | ${perVersion.map((result) => (result.rows?.[r] === undefined ? "—" : `${result.rows[r].penstock} / ${result.rows[r].twin}`)).join(" | ")} |\n`;
    }
  }
  mkdirSync(join(root, ".bench"), { recursive: true });
  writeFileSync(join(root, ".bench", "results.json"), JSON.stringify({ versions, cpu: cpu[0]?.model, results }, null, 1));
  process.stdout.write(out);
}

function oneVersion() {
const header = `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, load average ${loadavg()[0].toFixed(2)} at the start${baseline ? `, against ${baseline.sha}` : ""}${values.quick ? ", --quick" : ""}\n\n`;
const summary = [];
let sections = "";
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const result = runCase(file, current, baseline?.dist);
  sections += `### ${result.title}\n\n${result.description}\n\n`;
  if (result.rows !== undefined) summary.push(...result.rows);
  if (result.perRound !== undefined) {
    // A case may measure a rate instead of a time per call (unit "req/s").
    const rate = result.unit === "req/s";
    sections += `| task | ${rate ? "requests/s" : "per call"} |\n|---|---:|\n`;
    for (const [task, rounds] of Object.entries(result.perRound)) sections += `| ${task} | ${rate ? Math.round(median(rounds)) : ns(median(rounds))} |\n`;
  }
  if (result.summary !== undefined) sections += `\n${result.summary}\n`;
  if (baseline !== undefined && result.paired !== undefined) {
    const swapped = runCase(file, baseline.dist, current);
    const diff = ({ main, baseline: other }) => median(main.map((value, i) => value - other[i]));
    const asMain = diff(result.paired);
    const asBaseline = diff(swapped.paired);
    sections +=
      `\n${result.paired.task}, current minus ${baseline.sha}: ${ns((asMain - asBaseline) / 2)} per call ` +
      `(median paired difference ${ns(asMain)} with the current build loaded first, ${ns(-asBaseline)} with it loaded second).\n`;
  }
  sections += "\n";
}

let table = "";
if (summary.length > 0) {
  table = "| case | penstock | hand-written twin | ratio (median) | spread (IQR) | goal | met? |\n|---|---:|---:|---:|---:|---|:-:|\n";
  for (const row of summary) {
    const met = row.met === undefined ? "—" : row.met ? "yes" : "**no**";
    const spread = row.spread === undefined ? "—" : `${row.spread[0].toFixed(2)}–${row.spread[1].toFixed(2)}`;
    table += `| ${row.case} | ${row.penstock} | ${row.twin} | ${row.ratioText ?? ratio(row.ratio)} | ${spread} | ${row.goal} | ${met} |\n`;
  }
  table += "\n";
}
process.stdout.write(header + table + sections);
}
