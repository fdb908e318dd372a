// `penstock check`, --help, --version, and how the bin fails: usage errors (exit 2 with the
// usage, never a stack trace) and modules or flows it cannot load (exit 2, one message).
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packedConsumer, repoRoot, type BinResult, type Consumer } from "../support/consumer";

let consumer: Consumer;

beforeAll(() => {
  consumer = packedConsumer(join(__dirname, "fixtures"));
  cpSync(join(repoRoot, "examples", "orders.mjs"), join(consumer.dir, "orders.mjs"));
});

afterAll(() => consumer?.remove());

const STACK_FRAME = /^\s+at .+/m;

describe("penstock check", () => {
  test("a sound flow: one line per flow and a summary, exit 0", () => {
    expect(consumer.bin(["check", "orders.mjs", "refunds.cjs"])).toEqual({
      status: 0,
      stdout: 'flow "orders": ok, 5 steps\nflow "refunds": ok, 3 steps\nchecked 2 flows: no problems.\n',
      stderr: "",
    });
  });

  test("flows with problems: every problem listed with its code and message, exit 1", () => {
    const result = consumer.bin(["check", "broken.mjs", "orders.mjs"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("");
    expect(result.stdout.split("\n")).toEqual([
      'flow "broken": 4 problems',
      '  NO_ENTRYPOINT: Flow "broken" has no entrypoint, so nothing can start it. Wrap the function that starts it with entrypoint(..., { flow: "broken" }).',
      '  UNKNOWN_STEP at broken.mjs:6:1: Step "c" of flow "broken" lists "missing" in its `after`, but flow "broken" has no step "missing". Fix the name, or register that step in this flow.',
      '  CYCLE at broken.mjs:4:1: Steps "a", "b" of flow "broken" form a cycle (a -> b -> a). A flow must be a DAG: remove one of these `after` references.',
      '  CYCLE at broken.mjs:6:1: Step "c" of flow "broken" lists itself in its own `after`. A flow must be a DAG: remove one of these `after` references.',
      'flow "loops": 2 problems',
      '  CYCLE at broken.mjs:8:1: Steps "x", "y", "z" of flow "loops" form a cycle (x -> y -> z -> x). A flow must be a DAG: remove one of these `after` references.',
      '  UNREACHABLE at broken.mjs:11:1: Step "stray" of flow "loops" cannot be reached from its entrypoint "start". Add a step on a path from an entrypoint to its `after`, or move it to the flow it belongs to.',
      'flow "orders": ok, 5 steps',
      "checked 3 flows: 6 problems in 2 flows.",
      "",
    ]);
  });

  test("--flow checks one flow only", () => {
    expect(consumer.bin(["check", "broken.mjs", "orders.mjs", "--flow", "orders"])).toEqual({
      status: 0,
      stdout: 'flow "orders": ok, 5 steps\nchecked 1 flow: no problems.\n',
      stderr: "",
    });
    expect(consumer.bin(["check", "broken.mjs", "--flow", "loops"]).status).toBe(1);
  });

  test("a TypeScript module is checked like any other", () => {
    expect(consumer.bin(["check", "billing.ts"]).stdout).toBe('flow "billing": ok, 2 steps\nchecked 1 flow: no problems.\n');
  });
});

describe("help and version", () => {
  test.each([["--help"], ["-h"], ["help"], ["dag", "--help"], ["check", "x.mjs", "-h"]])("%s prints the usage on stdout, exit 0", (...args) => {
    const result = consumer.bin(args);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^Usage: penstock dag <files\|dirs\|globs\.\.\.> \[options\]\n/);
  });

  test("the usage documents every command, flag, format, direction and exit code", () => {
    const usage = consumer.bin(["--help"]).stdout;
    for (const word of ["dag", "check", "--flow", "--format", "--direction", "--decorate", "--plain", "--out", "--check", "--static", "--import", "--timeout <seconds>", "-h, --help", "-v, --version"]) {
      expect(usage).toContain(word);
    }
    for (const format of ["mermaid", "markdown", "dot", "json", "svg", "TD", "LR"]) expect(usage).toMatch(new RegExp(`\\b${format}\\b`));
    expect(usage).toMatch(/^ {2}0 {2}done/m);
    expect(usage).toMatch(/^ {2}1 {2}dag --check: the file is stale or missing; check: a flow has problems/m);
    // Every extension it reads.
    expect(usage).toContain(".js, .mjs, .cjs, .ts, .mts, .cts and .tsx");
    expect(usage).toContain("npm install -D typescript");
    expect(usage).toContain("PENSTOCK_CLI=1");
    expect(usage).toMatch(/^ {2}2 {2}usage error/m);
    expect(usage).toContain("npm install -D tsx");
    expect(usage).toContain("npm install -D @hpcc-js/wasm-graphviz");
  });

  test("--version and -v print the package's version", () => {
    const { version } = JSON.parse(readFileSync(join(consumer.dir, "node_modules", "penstock", "package.json"), "utf8")) as { version: string };
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(consumer.bin(["--version"])).toEqual({ status: 0, stdout: `${version}\n`, stderr: "" });
    expect(consumer.bin(["-v"]).stdout).toBe(`${version}\n`);
  });

  test("the bin is an executable node script named penstock in the packed package.json", () => {
    const dir = join(consumer.dir, "node_modules", "penstock");
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(manifest.bin).toEqual({ penstock: "./dist/cli.js" });
    expect(readFileSync(join(dir, manifest.bin.penstock!), "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });
});

describe("usage errors: exit 2, one line (the reason and a pointer to --help), no stack trace", () => {
  test.each([
    [[], "no command given: use penstock dag, penstock check, penstock logs or penstock report."],
    [["dag", "orders.mjs", "--static", "--import"], "--static and --import contradict each other: give one."],
    [["dag", "orders.mjs", "--timeout", "soon"], '--timeout must be a number of seconds greater than 0, not "soon".'],
    [["check", "orders.mjs", "--timeout", "0"], '--timeout must be a number of seconds greater than 0, not "0".'],
    [["draw", "orders.mjs"], 'unknown command "draw": use penstock dag, penstock check, penstock logs or penstock report.'],
    [["dag"], "penstock dag needs the modules that define your flows, e.g. penstock dag src/flows.js."],
    [["check"], "penstock check needs the modules that define your flows, e.g. penstock check src/flows.js."],
    [["dag", "orders.mjs", "--frmat", "dot"], "unknown option --frmat."],
    [["dag", "orders.mjs", "--format", "png"], '--format must be one of mermaid, markdown, dot, json, svg, not "png".'],
    [["dag", "orders.mjs", "--direction", "BT"], '--direction must be one of TD, LR, not "BT".'],
    [["dag", "orders.mjs", "--check"], "--check needs --out <file>: the file to compare with what would be written."],
    [["dag", "orders.mjs", "--out", ""], "--out needs a file name."],
    [["dag", "orders.mjs", "--flow", ""], "--flow needs the name of a flow."],
    [["dag", "orders.mjs", "--flow"], "Option '--flow <value>' argument missing."],
    [["dag", "orders.mjs", "--check=yes", "--out", "x"], "Option '--check' does not take an argument."],
    [["check", "orders.mjs", "--format", "dot"], "--format is an option of penstock dag, not of penstock check."],
    [["check", "orders.mjs", "--out", "x.md"], "--out is an option of penstock dag, not of penstock check."],
    [["dag", "orders.mjs", "--decorate", "--plain"], "--decorate and --plain contradict each other: give one."],
  ])("%j", (args, reason) => {
    const result: BinResult = consumer.bin(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`penstock: ${reason} Run penstock --help for the usage.\n`);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });
});

describe("what cannot be loaded: exit 2, one message naming it", () => {
  function fails(args: string[]): string {
    const result = consumer.bin(args);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 2, stdout: "" });
    expect(result.stderr).not.toContain("Usage:");
    return result.stderr;
  }

  test("a module that is not there, before any module runs", () => {
    const stderr = fails(["dag", "orders.mjs", "src/flows.mjs"]);
    expect(stderr).toBe(`penstock: cannot load src/flows.mjs: there is no such file (looked for ${join(consumer.dir, "src/flows.mjs")}).\n`);
  });

  test("a file penstock cannot read as a module, a glob or a directory without any", () => {
    expect(fails(["dag", "esm/package.json"])).toBe("penstock: cannot load esm/package.json: penstock loads .js, .mjs, .cjs, .ts, .mts, .cts and .tsx files.\n");
    expect(fails(["dag", "esm/*.json"])).toBe("penstock: no .js, .mjs, .cjs, .ts, .mts, .cts and .tsx file matches esm/*.json.\n");
    mkdirSync(join(consumer.dir, "empty"), { recursive: true });
    expect(fails(["dag", "empty"])).toBe("penstock: empty holds no .js, .mjs, .cjs, .ts, .mts, .cts and .tsx file (outside node_modules).\n");
  });

  test("a module that throws while loading: its error and where it was thrown, without penstock's own frames", () => {
    const stderr = fails(["check", "throws.mjs"]);
    expect(stderr.split("\n")[0]).toBe("penstock: could not load throws.mjs: Error: database URL is not set");
    expect(stderr).toMatch(/^ {4}at .*throws\.mjs:2:7$/m);
    expect(stderr).not.toContain("penstock/dist/cli.js");
    expect(stderr).not.toContain("node:internal");
  });

  test("modules that register no flow", () => {
    expect(fails(["dag", "nothing.mjs"])).toBe("penstock: nothing.mjs registered no flow. Pass the modules that call entrypoint() and step() (or that import them).\n");
    expect(fails(["check", "nothing.mjs"])).toContain("registered no flow");
  });

  test("an unknown --flow, listing the flows there are", () => {
    expect(fails(["dag", "orders.mjs", "refunds.cjs", "--flow", "order"])).toBe('penstock: Flow "order" is not registered. Known flows: "orders", "refunds".\n');
    expect(fails(["check", "orders.mjs", "--flow", "order"])).toContain('Flow "order" is not registered');
  });
});
