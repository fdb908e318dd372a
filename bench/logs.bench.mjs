// `penstock logs --stats` on a generated pino log file, against its floor: a hand-written
// reader that splits the same file with node:readline and JSON.parses every line, doing
// nothing else. Both run as processes of their own, interleaved, each round on the same file.
// The file: flow calls of a five-step flow, 50 in flight at a time (their lines interleaved),
// 2 % of them failing, one line in ten from another logger. Its size is PENSTOCK_BENCH_LOG_MB
// (default 64; 16 under --quick); the figures in docs/performance.md are for 1024.
//
//   PENSTOCK_BENCH_LOG_MB=1024 node bench/logs.bench.mjs --rounds 3
//
// penstock's process runs with --max-old-space-size=1024: finishing at all proves the heap bound;
// its peak heapUsed (sampled every 20 ms by bench/logs-heap.mjs) is reported too.
import { spawnSync } from "node:child_process";
import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { caseArgs, median } from "./support.mjs";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { dist, quick, rounds: given } = caseArgs({ rounds: 3, quickRounds: 1 });
const rounds = Math.min(given, quick ? 1 : 3);
const megabytes = Number(process.env.PENSTOCK_BENCH_LOG_MB ?? (quick ? 16 : 64));
const dir = join(root, ".bench", "logs");
const file = join(dir, `app-${megabytes}mb.log`);

const STEPS = ["validate_order", "reserve_stock", "charge_payment", "send_confirmation"];
const hex = (n, width) => n.toString(16).padStart(width, "0");

/** Writes the log file (kept between runs: generating 1 GB takes a while). */
async function generate() {
  if (existsSync(file) && statSync(file).size >= megabytes * 1024 * 1024) return;
  mkdirSync(dir, { recursive: true });
  const out = createWriteStream(file);
  const limit = megabytes * 1024 * 1024;
  let written = 0;
  let time = Date.UTC(2026, 0, 1);
  let call = 0;
  // 50 flow calls in flight: each is a queue of lines, one line taken from a random one in turn.
  const inFlight = [];
  const open = () => {
    const id = hex(call, 16) + hex(call * 2654435761 % 2 ** 32, 16);
    const root = hex(call * 7 + 1, 16);
    const base = `"flow":"orders"`;
    const lines = [[`"order_id":"A-${call}",${base},"step":"place_order","kind":"entrypoint","correlation_id":"${id}","span_id":"${root}"`, "step.start"]];
    const fails = call % 50 === 7;
    STEPS.forEach((step, i) => {
      const span = hex(call * 7 + 2 + i, 16);
      const fields = `${base},"step":"${step}","kind":"step","correlation_id":"${id}","span_id":"${span}","parent_span_id":"${root}"`;
      if (fails && i > 0) return;
      lines.push([fields, "step.start"]);
      if (fails) lines.push([`${fields},"duration_ms":0.4,"outcome":"error","err":{"type":"Error","message":"order A-${call} has no items","stack":"Error: order A-${call} has no items\\n    at validate (orders.mjs:33:11)"}`, "step.end", 50]);
      else lines.push([`${fields},"duration_ms":${(1 + ((call + i) % 17) * 0.7).toFixed(2)},"outcome":"ok"`, "step.end"]);
    });
    lines.push([`"order_id":"A-${call}",${base},"step":"place_order","kind":"entrypoint","correlation_id":"${id}","span_id":"${root}","duration_ms":${(12 + (call % 23)).toFixed(2)},"outcome":"${fails ? "error" : "ok"}"`, "step.end", fails ? 50 : 30]);
    call++;
    return lines;
  };
  let chunk = "";
  let n = 0;
  while (written < limit) {
    while (inFlight.length < 50) inFlight.push(open());
    const at = (n * 2654435761) % inFlight.length;
    const lines = inFlight[at];
    const [fields, msg, level = 30] = lines.shift();
    if (lines.length === 0) inFlight.splice(at, 1);
    time += n % 3 === 0 ? 1 : 0;
    chunk += `{"level":${level},"time":${time},"pid":4242,"hostname":"web-1",${fields},"msg":"${msg}"}\n`;
    if (n % 9 === 0) chunk += `{"level":30,"time":${time},"pid":4242,"hostname":"web-1","req":{"method":"GET","url":"/health"},"msg":"request completed"}\n`;
    n++;
    if (chunk.length > 1 << 22) {
      written += chunk.length;
      if (!out.write(chunk)) await new Promise((resolve) => out.once("drain", resolve));
      chunk = "";
    }
  }
  out.write(chunk);
  await new Promise((resolve) => out.end(resolve));
}

const TWIN = `
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
let lines = 0, records = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[1], { highWaterMark: 1 << 20 }), crlfDelay: Infinity })) {
  lines++;
  try { if (JSON.parse(line).span_id !== undefined) records++; } catch {}
}
process.stderr.write(JSON.stringify({ lines, records }) + "\\n");
`;

function timed(args) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"], maxBuffer: 64 << 20 });
  if (child.status !== 0) throw new Error(`${args.join(" ")} failed (${child.status ?? child.signal}): ${child.stderr}`);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, stderr: child.stderr };
}

await generate();
const size = statSync(file).size;
// Each process's start (loading the bin, or node itself) is timed on a one-line file and taken
// off, so that a small file's rate is the reading's, not the start's.
const tiny = join(dir, "one-line.log");
const head = Buffer.alloc(4096);
const fd = openSync(file, "r");
readSync(fd, head, 0, head.length, 0);
closeSync(fd);
writeFileSync(tiny, `${head.toString("utf8").split("\n")[0]}\n`);
const penstockArgs = (log) => ["--max-old-space-size=1024", "--import", join(root, "bench", "logs-heap.mjs"), join(dist, "cli.js"), "logs", log, "--stats"];
const twinArgs = (log) => ["--input-type=module", "-e", TWIN, log];
const penstockMs = [];
const twinMs = [];
const startMs = { penstock: [], twin: [] };
const heaps = [];
let lines = 0;
for (let round = 0; round < rounds; round++) {
  const run = timed(penstockArgs(file));
  penstockMs.push(run.ms);
  heaps.push(Number(/peak heapUsed (\d+)/.exec(run.stderr)[1]));
  lines = Number(/read (\d+) lines/.exec(run.stderr)[1]);
  twinMs.push(timed(twinArgs(file)).ms);
  startMs.penstock.push(timed(penstockArgs(tiny)).ms);
  startMs.twin.push(timed(twinArgs(tiny)).ms);
}
const penstockStart = median(startMs.penstock);
const twinStart = median(startMs.twin);
const reading = (ms, start) => Math.max(1, ms - start);
const perSecond = (ms) => (lines / ms) * 1000;
const ratios = penstockMs.map((ms, i) => reading(ms, penstockStart) / reading(twinMs[i], twinStart));
const rate = perSecond(reading(median(penstockMs), penstockStart));
const heap = Math.max(...heaps) / 2 ** 20;
const fmt = (value) => `${Math.round(value / 1000)}k lines/s`;
process.stdout.write(
  `${JSON.stringify({
    title: "logs",
    description:
      `\`penstock logs --stats\` on a generated ${(size / 2 ** 20).toFixed(0)} MiB pino log (${lines} lines; flow calls of five steps, 50 in flight, one line in ten from another logger), ` +
      `a process of its own run with --max-old-space-size=1024, against a hand-written reader that splits the file with node:readline and JSON.parses every line; ${rounds} interleaved round(s), the median, each process's start (the same command on a one-line file) taken off.`,
    rows: [
      {
        case: "logs --stats: lines per second",
        penstock: fmt(rate),
        twin: fmt(perSecond(reading(median(twinMs), twinStart))),
        ratio: median(ratios),
        goal: "≥ 200k lines/s, heap < 1 GiB",
        met: rate >= 200_000 && heap < 1024,
      },
    ],
    summary: `Peak heapUsed of penstock's process: ${heap.toFixed(0)} MiB (sampled every 20 ms). Time: ${(median(penstockMs) / 1000).toFixed(1)} s for penstock, ${(median(twinMs) / 1000).toFixed(1)} s for the floor (rounds: ${penstockMs.map((ms) => (ms / 1000).toFixed(1)).join(", ")} s and ${twinMs.map((ms) => (ms / 1000).toFixed(1)).join(", ")} s), of which starting the process: ${penstockStart.toFixed(0)} ms and ${twinStart.toFixed(0)} ms.`,
  })}\n`,
);
if (process.env.PENSTOCK_BENCH_KEEP_LOG !== "1" && megabytes > 64) rmSync(file, { force: true });

