// Static extraction on a large generated code base: 2,000 modules (half TypeScript, half
// JavaScript) registering 20,000 steps in 100 flows, each step's `after` a wrapped function
// imported from another module or a name. Not a timed test: it prints the figures for
// docs/performance.md. Build first (`npm run build`), then:
//
//   node bench/static-extract.mjs [--modules 2000] [--steps 10] [--rounds 3]
//
// Per round, interleaved: `penstock dag <dir> --static --format json` (the whole command, a
// process of its own), the floor (the same files read and parsed by the TypeScript compiler,
// nothing else), and import mode (`--import`: the modules imported, TypeScript through tsx).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({ options: { modules: { type: "string", default: "2000" }, steps: { type: "string", default: "10" }, rounds: { type: "string", default: "3" } } });
const MODULES = Number(values.modules);
const STEPS = Number(values.steps);
const FLOWS = 100;

const dir = join(root, ".bench", "static-extract");
rmSync(dir, { recursive: true, force: true });
mkdirSync(join(dir, "src"), { recursive: true });
mkdirSync(join(dir, "node_modules"), { recursive: true });
symlinkSync(root, join(dir, "node_modules", "penstock"));
writeFileSync(join(dir, "package.json"), '{ "name": "generated", "private": true, "type": "module" }\n');

const file = (i) => `m${i}.${i % 2 === 0 ? "ts" : "mjs"}`;
for (let i = 0; i < MODULES; i++) {
  const typescript = i % 2 === 0;
  const flow = `flow_${i % FLOWS}`;
  const previous = i - FLOWS;
  let text = `import { entrypoint, step } from "penstock";\n`;
  if (previous >= 0) text += `import { tail as before } from "./${file(previous).replace(/\.ts$/, ".js")}";\n`;
  text += typescript ? "interface Job { readonly id: string }\nconst work = (job: Job): Job => job;\n" : "const work = (job) => job;\n";
  text += previous >= 0 ? "const first = before;\n" : `const first = entrypoint("start_${i}", work, { flow: "${flow}" });\n`;
  for (let s = 0; s < STEPS; s++) {
    const after = s === 0 ? "first" : s % 3 === 0 ? `[s${s - 1}, "m${i}_s${s - 2 >= 0 ? s - 2 : 0}"]` : `s${s - 1}`;
    text += `export const s${s} = step("m${i}_s${s}", work, { after: ${after} });\n`;
  }
  text += `export const tail = s${STEPS - 1};\n`;
  writeFileSync(join(dir, "src", file(i)), text);
}

const bin = join(root, "dist", "cli.js");
const time = (fn) => {
  const start = process.hrtime.bigint();
  const out = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, out };
};
const command = (mode) => execFileSync(process.execPath, [bin, "dag", "src", mode, "--format", "json"], { cwd: dir, maxBuffer: 1 << 30, encoding: "utf8" });
// The floor: the TypeScript compiler reading and parsing every file, in a process of its own.
const floorScript = `
const ts = require(${JSON.stringify(createRequire(join(root, "package.json")).resolve("typescript"))});
const { readdirSync, readFileSync } = require("node:fs");
for (const name of readdirSync("src")) ts.createSourceFile(name, readFileSync("src/" + name, "utf8"), ts.ScriptTarget.Latest, true, name.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS);
`;
const floor = () => execFileSync(process.execPath, ["-e", floorScript], { cwd: dir });

const runs = { static: [], floor: [], import: [] };
let steps = 0;
let same = true;
for (let round = 0; round < Number(values.rounds); round++) {
  const extracted = time(() => command("--static"));
  runs.static.push(extracted.ms);
  runs.floor.push(time(floor).ms);
  const imported = time(() => command("--import"));
  runs.import.push(imported.ms);
  same &&= extracted.out === imported.out;
  steps = JSON.parse(extracted.out).flows.reduce((sum, flow) => sum + flow.steps.length, 0);
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const bytes = readdirSync(join(dir, "src")).reduce((sum, name) => sum + readFileSync(join(dir, "src", name)).length, 0);
console.log(
  JSON.stringify(
    {
      modules: MODULES,
      steps,
      sourceBytes: bytes,
      rounds: runs.static.length,
      staticMs: median(runs.static),
      floorMs: median(runs.floor),
      importMs: median(runs.import),
      staticOverFloor: Number((median(runs.static) / median(runs.floor)).toFixed(2)),
      staticOverImport: Number((median(runs.static) / median(runs.import)).toFixed(2)),
      sameOutput: same,
      runs,
    },
    null,
    2,
  ),
);
