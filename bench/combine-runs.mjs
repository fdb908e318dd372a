// Not a case: combines the JSON of several `node bench/run.mjs --node …` runs (each writes
// .bench/results.json; copy it away between runs) into one Markdown table, a column per Node
// version: each cell is the median over the runs of each run's median ratio, then every run's
// median and the smallest and largest quartile any run gave (its spread within the run).
//
//   node bench/combine-runs.mjs run1.json run2.json run3.json
import { readFileSync } from "node:fs";

const runs = process.argv.slice(2).map((file) => JSON.parse(readFileSync(file, "utf8")));
if (runs.length === 0) {
  console.error("usage: node bench/combine-runs.mjs <results.json>...");
  process.exit(2);
}
const versions = runs[0].versions;
const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
// A row's goal as a test of a ratio ("≤ 1.05×", "≥ 0.95× throughput", "within 1 MiB": the ratio is then MiB).
function meets(goal, value) {
  const number = Number(/[\d.]+/.exec(goal)?.[0]);
  if (goal.startsWith("≤")) return value <= number;
  if (goal.startsWith("≥")) return value >= number;
  if (goal.startsWith("within")) return Math.abs(value) <= number;
  return undefined;
}
const format = (row, value) => (row.ratioText === undefined ? `${value.toFixed(2)}×` : `${value >= 0 ? "+" : ""}${value.toFixed(2)} MiB`);

let out = `| case | goal | ${versions.map((v) => `Node ${v}`).join(" | ")} |\n|---|---|${versions.map(() => "---:|").join("")}\n`;
const files = Object.keys(runs[0].results);
for (const file of files) {
  for (const [r, row] of runs[0].results[file][0].rows.entries()) {
    const cells = versions.map((_, v) => {
      const rows = runs.map((run) => run.results[file]?.[v]?.rows?.[r]).filter(Boolean);
      const values = rows.map((each) => each.ratio);
      const mid = median(values);
      const low = Math.min(...rows.map((each) => each.spread?.[0] ?? each.ratio));
      const high = Math.max(...rows.map((each) => each.spread?.[1] ?? each.ratio));
      const met = meets(rows[0].goal, mid);
      const spread = rows[0].spread === undefined ? "" : `; IQR ${low.toFixed(2)}–${high.toFixed(2)}`;
      return `${met === false ? "**" : ""}${format(row, mid)}${met === false ? "**" : ""} (${values.map((value) => format(row, value)).join(", ")}${spread})`;
    });
    // A goal may differ by version (core): each version's, when they differ.
    const goals = [...new Set(versions.map((_, v) => runs[0].results[file]?.[v]?.rows?.[r]?.goal).filter(Boolean))];
    out += `| ${row.case} | ${goals.length === 1 ? goals[0] : versions.map((version, v) => `${runs[0].results[file][v].rows[r].goal} on ${version.split(".")[0]}`).join(", ")} | ${cells.join(" | ")} |\n`;
  }
}
process.stdout.write(out);
