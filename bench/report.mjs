// The report page: how long flowReport() takes and how big the page is, for the demo flow and
// for one flow of 200 steps; and `penstock report` on the demo's logs (the whole command). Not a
// timed test: it prints the figures for docs/report.md. Build first (`npm run build`), then:
//
//   node bench/report.mjs
//
// A page has no hand-written equivalent to compare with, so the figures are absolute: the
// median of 50 (demo) or 10 (200 steps) renders after one warm-up, and of 5 commands.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { configure, entrypoint, flowReport, loggingBackend, step } from "../dist/index.js";
import { placeOrder } from "../examples/orders.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dir = join(root, ".bench", "report");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

function median(fn, rounds) {
  fn();
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}
const kib = (text) => `${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`;

// The demo's traffic, logged as the logging backend writes it.
const log = join(dir, "demo.log");
configure(loggingBackend({ logger: pino({ base: undefined }, pino.destination({ dest: log, sync: true })) }));
for (let i = 0; i < 8; i++) await placeOrder({ id: `A-${i}`, customer: "c", items: [{ sku: "tea", quantity: 1 }], total: 3 });
await placeOrder({ id: "B-1", customer: "c", items: [], total: 0 }).catch(() => undefined);
configure({ span: (_info, run) => run(), getCorrelationId: () => undefined });

const rows = [["flowReport(): the demo flow", kib(flowReport({ flows: ["orders"] })), median(() => flowReport({ flows: ["orders"] }), 50)]];

const first = entrypoint("s0", () => undefined, { flow: "wide" });
let previous = [first];
for (let layer = 1; layer <= 20; layer++) {
  const current = [];
  for (let i = 0; i < 10; i++) current.push(step(`s${layer}_${i}`, () => undefined, { flow: "wide", after: previous.slice(0, 3) }));
  previous = current;
}
rows.push(["flowReport(): one flow of 200 steps", kib(flowReport({ flows: ["wide"] })), median(() => flowReport({ flows: ["wide"] }), 10)]);

const out = join(dir, "report.html");
const command = () => execFileSync(process.execPath, [join(root, "dist", "cli.js"), "report", "--modules", "examples/orders.mjs", "--logs", log, "--out", out], { cwd: root, stdio: "ignore" });
const commandMs = median(command, 5);
rows.push(["penstock report: the demo flow and its logs (whole command)", kib(execFileSync(process.execPath, [join(root, "dist", "cli.js"), "report", "--modules", "examples/orders.mjs", "--logs", log], { cwd: root, encoding: "utf8" })), commandMs]);

console.log("| page | size | median time |\n|---|---|---|");
for (const [what, size, ms] of rows) console.log(`| ${what} | ${size} | ${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms |`);
rmSync(dir, { recursive: true, force: true });
