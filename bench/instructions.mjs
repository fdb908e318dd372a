// Instructions per call, counted by valgrind (callgrind): a figure the machine's load does not
// blur, for telling a few nanoseconds apart where the timed cases' rounds cannot. Each side of
// a case (bench/instructions-case.mjs) runs twice, with two numbers of calls, and the difference
// of the two counts over the difference of the calls is its instructions per call: start-up,
// loading and compilation cancel out. Instructions are not time (a cache miss costs many), so
// this explains the timed ratios, it does not replace them.
//
// Under valgrind code runs some 50 times slower, so every call looks 50 times longer and far
// more calls would be timed for the statistics (lib/observations/step-stats.ts decides from
// durations): the measured build is a copy of dist/ in which, after a step's first 64 calls,
// none is timed. That is the only change; the script stops if it cannot make it.
//
//   node bench/instructions.mjs [--node 20,24] [--cases core,logging,otel] [--dist dist]
// Needs valgrind (Debian: apt-get install valgrind). After npm run build.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";

const { values } = parseArgs({ options: { node: { type: "string" }, cases: { type: "string" }, dist: { type: "string" } } });
const root = new URL("..", import.meta.url).pathname;
const dist = resolve(values.dist ?? join(root, "dist"));
const cases = (values.cases ?? "core,logging,otel").split(",");
const majors = (values.node ?? process.versions.node.split(".")[0]).split(",");
const SIDES = { core: ["penstock", "twin", "floor"], logging: ["penstock", "twin"], otel: ["penstock", "twin"] };
// Fewer calls where each costs tens of thousands of instructions.
const CALLS = { core: [200_000, 1_200_000], logging: [50_000, 150_000], otel: [50_000, 150_000] };

if (spawnSync("valgrind", ["--version"]).status !== 0) {
  console.error("bench/instructions.mjs needs valgrind: apt-get install valgrind (Debian), then run it again.");
  process.exit(1);
}

/** dist/ with the stride of step-stats fixed (see the header). */
function patchedDist() {
  const target = join(root, ".bench", "instructions-dist");
  rmSync(target, { recursive: true, force: true });
  cpSync(dist, target, { recursive: true });
  const stride = /step\.stride = step\.calls < TIMED_FIRST \|\|[^;]*;/;
  let patched = 0;
  for (const name of readdirSync(target).filter((file) => file.endsWith(".js"))) {
    const file = join(target, name);
    const text = readFileSync(file, "utf8");
    if (!stride.test(text)) continue;
    writeFileSync(file, text.replace(stride, "step.stride = step.calls < TIMED_FIRST ? 1 : 1e9;"));
    patched++;
  }
  if (patched === 0) throw new Error("bench/instructions.mjs: the stride line of lib/observations/step-stats.ts was not found in the build; update the pattern.");
  return target;
}

function nodeBinary(major) {
  if (major === process.versions.node.split(".")[0]) return process.execPath;
  return execFileSync(process.execPath, [join(root, "scripts", "node-binary.mjs"), major], { encoding: "utf8" }).trim();
}

async function instructions(node, build, kind, side, calls) {
  const { stderr } = await promisify(execFile)(
    "valgrind",
    ["--tool=callgrind", "--callgrind-out-file=/dev/null", "--smc-check=all", node, "--single-threaded", join(root, "bench", "instructions-case.mjs"), "--dist", build],
    { env: { ...process.env, PENSTOCK_IR_CASE: kind, PENSTOCK_IR_SIDE: side, PENSTOCK_IR_CALLS: String(calls) }, maxBuffer: 64 * 1024 * 1024 },
  );
  const collected = /Collected : (\d+)/.exec(stderr);
  if (collected === null) throw new Error(`valgrind gave no count for ${kind}/${side}:\n${stderr.slice(-2000)}`);
  return Number(collected[1]);
}

const build = patchedDist();
for (const major of majors) {
  const node = nodeBinary(major);
  const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
  for (const kind of cases) {
    const [few, many] = CALLS[kind];
    const perCall = {};
    // The two runs of a side at once (one per core of a two-core machine).
    for (const side of SIDES[kind]) {
      const [more, fewer] = await Promise.all([instructions(node, build, kind, side, many), instructions(node, build, kind, side, few)]);
      perCall[side] = (more - fewer) / (many - few);
    }
    const row = Object.entries(perCall).map(([side, count]) => `${side} ${Math.round(count)}`).join(", ");
    console.log(`${version} ${kind}: instructions per call: ${row}; penstock / twin ${(perCall.penstock / perCall.twin).toFixed(3)}`);
  }
}
