// Import mode made safe: the modules load in a process of their own with PENSTOCK_CLI=1 and a
// silent backend; only the drawing reaches stdout; process.exit, a hang and an unreadable
// file are loading errors that name the module (exit 2).
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packedConsumer, repoRoot, type Consumer } from "../support/consumer";

let consumer: Consumer;

beforeAll(() => {
  consumer = packedConsumer(join(__dirname, "fixtures"));
  cpSync(join(repoRoot, "examples", "orders.mjs"), join(consumer.dir, "orders.mjs"));
});

afterAll(() => consumer?.remove());

const GREET = 'graph TD\n    subgraph greet ["greet"]\n        greet__greet(["greet"]) --> greet__look_up["look_up"]\n    end\n';

test("an app that logs, calls its flow and would listen: only the drawing on stdout; PENSTOCK_CLI=1 and a silent backend while it loads", () => {
  // What a module sees while the command loads it, written where the test can read it.
  writeFileSync(
    join(consumer.dir, "cli-env.mjs"),
    'import { writeFileSync } from "node:fs";\nimport { getBackend } from "penstock";\n' +
      'writeFileSync(new URL("./cli-env.txt", import.meta.url), `${process.env.PENSTOCK_CLI} ${getBackend().name}`);\n',
  );
  const result = consumer.bin(["dag", "effects/server.mjs", "cli-env.mjs"], { env: { SERVER_PORT: "1" } });
  expect(result).toEqual({ status: 0, stdout: GREET, stderr: "" });
  expect(readFileSync(join(consumer.dir, "cli-env.txt"), "utf8")).toBe("1 silent");
  // The same module run as an app writes its log line and penstock's step records to stdout.
  const run = spawnSync(process.execPath, [join(consumer.dir, "effects", "server.mjs")], { cwd: consumer.dir, encoding: "utf8", env: { ...process.env, PENSTOCK_CLI: "1" }, timeout: 2_000 });
  expect(run.stdout).toContain("server module loaded\n");
  expect(run.stdout).toContain('"msg":"step.start"');
});

test.each([
  [["dag", "effects/effects.mjs"]],
  [["dag", "effects/effects.mjs", "--out", "flows.md", "--check"]],
  [["check", "effects/effects.mjs"]],
])("process.exit while loading is a loading error naming the module: %j", (args) => {
  expect(consumer.bin(args, { env: { EFFECTS_PORT: "1" } })).toEqual({
    status: 2,
    stdout: "",
    stderr:
      "penstock: could not load effects/effects.mjs: it called process.exit(0) while loading. " +
      "Skip the exit when process.env.PENSTOCK_CLI is set, or read the sources with --static.\n",
  });
});

test("a module still loading after --timeout: exit 2 naming it (and the modules before it loaded)", () => {
  // The message names the 1.5 s the timer was set to: the default of 30 s was not used.
  const result = consumer.bin(["dag", "orders.mjs", "effects/hangs.mjs", "--timeout", "1.5"]);
  expect(result).toEqual({
    status: 2,
    stdout: "",
    stderr:
      "penstock: could not load effects/hangs.mjs: it was still loading after 1.5 s (--timeout). A top-level await that never settles, " +
      "or a connection that never answers? Skip it when process.env.PENSTOCK_CLI is set, raise --timeout, or read the sources with --static.\n",
  });
});

test("a top-level await nothing can settle: exit 2 naming the module, not a silent success", () => {
  expect(consumer.bin(["check", "effects/stuck.mjs"])).toEqual({
    status: 2,
    stdout: "",
    stderr: "penstock: could not load effects/stuck.mjs: its loading can never finish: a top-level await waits on a promise nothing will settle (Node ended the process: nothing was left to wait for).\n",
  });
});

test("an unreadable file is reported as unreadable (EACCES), not as missing, before anything loads", () => {
  const file = join(consumer.dir, "secret.mjs");
  writeFileSync(file, 'import { entrypoint } from "penstock";\nentrypoint("secret", () => undefined);\n');
  chmodSync(file, 0o000);
  // root reads anything: the command then runs as nobody (the folder made readable to it, and
  // a copy of this node binary when nobody cannot reach it, as under a private home).
  const asRoot = process.getuid?.() === 0;
  let options = {};
  if (asRoot) {
    chmodSync(consumer.dir, 0o755);
    const nobody = { uid: 65534, gid: 65534 };
    let node = process.execPath;
    if (spawnSync(node, ["--version"], nobody).error !== undefined) {
      node = join(consumer.dir, "node");
      copyFileSync(process.execPath, node);
      chmodSync(node, 0o755);
    }
    options = { ...nobody, node };
  }
  for (const args of [["dag", "orders.mjs", "secret.mjs"], ["check", "secret.mjs", "--static"]]) {
    expect(consumer.bin(args, options)).toEqual({
      status: 2,
      stdout: "",
      stderr: "penstock: cannot read secret.mjs: permission denied (EACCES). Make it readable, or leave it out.\n",
    });
  }
  chmodSync(file, 0o644);
});

test("PENSTOCK_UNKNOWN_STEP: once, on the first call of the flow, in a real process", () => {
  const run = spawnSync(process.execPath, [join(consumer.dir, "unknowable", "typo.mjs")], { cwd: consumer.dir, encoding: "utf8" });
  expect(run.status).toBe(0);
  const warnings = run.stderr.split("\n").filter((line) => line.includes("[PENSTOCK_UNKNOWN_STEP]"));
  expect(warnings).toEqual([
    expect.stringContaining('Warning: penstock: flow "stock" has no step of a name its `after` lists (step "reserve_stock" lists "reserve_stok"); the DAG draws it as an unknown node.'),
  ]);
});
