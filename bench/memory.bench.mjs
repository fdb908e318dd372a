// Case "memory": 1,000,000 step calls (10,000 entrypoint calls of 100 steps each), with a
// no-op backend and with the logging backend to a discarding stream; the heap used after a
// full GC, before and after, must differ by less than 1 MiB. Runs itself under
// `node --expose-gc` (a child process) when started without it. Also 1,000,000 async step
// calls with the no-op backend (100,000 entrypoint calls of 10 awaited steps).
//
//   node bench/memory.bench.mjs [--dist dist] [--quick]
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { caseArgs, emit, load } from "./support.mjs";

const args = caseArgs();
if (typeof globalThis.gc !== "function") {
  const self = fileURLToPath(import.meta.url);
  process.stdout.write(execFileSync(process.execPath, ["--expose-gc", self, ...process.argv.slice(2)], { encoding: "utf8", maxBuffer: 1 << 24 }));
  process.exit(0);
}

const penstock = await load(args.dist);
const CALLS = 1_000_000;
const MiB = 1 << 20;

async function heapUsed() {
  // Several passes, with a turn of the event loop between: weak references and finalizers.
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

let sink = 0;
const add = (a, b) => a + b;
const syncStep = penstock.step("add", add, { flow: "memory", after: "memory" });
const syncFlow = penstock.entrypoint(
  "memory",
  () => {
    for (let i = 0; i < 100; i++) sink += syncStep(sink & 7, 1);
  },
  { flow: "memory" },
);
const work = async (n) => {
  await Promise.resolve();
  return n + 1;
};
const asyncStep = penstock.step("work", work, { flow: "memory_async", after: "memory_async" });
const asyncFlow = penstock.entrypoint(
  "memory_async",
  async () => {
    for (let i = 0; i < 10; i++) sink += await asyncStep(i);
  },
  { flow: "memory_async" },
);

const backends = {
  "no-op backend": { name: "noop", span: (_info, run) => run(), getCorrelationId: () => undefined },
  "logging backend": penstock.loggingBackend({ logger: pino({ name: "bench" }, { write() {} }) }),
};

async function measure(label, backend, run) {
  penstock.configure({ backend });
  await run(1_000); // warm up: compiled code and first-sight records are not a leak
  const before = await heapUsed();
  await run(CALLS);
  const after = await heapUsed();
  const delta = after - before;
  return {
    case: `memory: ${CALLS.toLocaleString("en")} ${label}`,
    penstock: `${delta >= 0 ? "+" : ""}${delta.toLocaleString("en")} B`,
    twin: "—",
    ratio: delta / MiB,
    ratioText: `${delta >= 0 ? "+" : ""}${(delta / MiB).toFixed(2)} MiB`,
    spread: undefined,
    goal: "within 1 MiB",
    met: Math.abs(delta) <= MiB,
    before,
    after,
  };
}

const rows = [];
for (const [name, backend] of Object.entries(backends)) {
  rows.push(await measure(`sync step calls, ${name}`, backend, async (calls) => {
    for (let i = 0; i < calls / 100; i++) syncFlow();
  }));
}
rows.push(await measure("async step calls, no-op backend", backends["no-op backend"], async (calls) => {
  for (let i = 0; i < calls / 10; i += 1_000) {
    const batch = [];
    for (let j = 0; j < 1_000 && i + j < calls / 10; j++) batch.push(asyncFlow());
    await Promise.all(batch);
  }
}));
emit({
  title: "memory",
  description: `The heap used after a full GC (\`node --expose-gc\`), before and after ${CALLS.toLocaleString("en")} step calls; the ratio column is the difference in MiB. Each measure is preceded by 1,000 warm-up calls, so compiled code and first-sight drift records are not counted.`,
  rows,
});
if (sink === -1) console.error("unreachable");
