// Preloaded (node --import) into the process bench/logs.bench.mjs measures: samples heapUsed
// every 20 ms and writes the peak to stderr as the process exits.
import { writeSync } from "node:fs";

let peak = 0;
const sample = () => {
  const { heapUsed } = process.memoryUsage();
  if (heapUsed > peak) peak = heapUsed;
};
setInterval(sample, 20).unref();
process.on("exit", () => {
  sample();
  writeSync(2, `peak heapUsed ${peak}\n`);
});
