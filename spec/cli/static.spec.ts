// Static extraction (`--static`, the default for directories and globs) against import mode:
// the same drawing, byte for byte, on every example and fixture; and what static mode reads
// (renamed, namespace and re-exported imports, CommonJS, TypeScript, cross-flow edges),
// reports (what it cannot know, files that do not parse) and never does (run anything).
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packedConsumer, repoRoot, type BinResult, type Consumer } from "../support/consumer";

let consumer: Consumer;

const EXAMPLES = readdirSync(join(repoRoot, "examples")).filter((file) => /\.(mjs|ts)$/.test(file));
// Every fixture that registers flows when imported (the others fail to load by design, below).
const FIXTURES = ["broken.mjs", "hostile.mjs", "refunds.cjs", "billing.ts", "esm/shipping.js", "unknowable/typo.mjs", "compiled/billing.js"];

beforeAll(() => {
  consumer = packedConsumer(join(__dirname, "fixtures"));
  // The examples as they are in the repository, in an ESM folder as the repository is.
  const examples = join(consumer.dir, "examples");
  mkdirSync(examples);
  for (const file of readdirSync(join(repoRoot, "examples"))) cpSync(join(repoRoot, "examples", file), join(examples, file));
  writeFileSync(join(examples, "package.json"), '{ "type": "module" }\n');
  cpSync(join(repoRoot, "examples", "orders.mjs"), join(consumer.dir, "orders.mjs"));
});

afterAll(() => consumer?.remove());

// No Redis answers here: an example that needs one (examples/bullmq.mjs) must skip its run when
// penstock imports it (PENSTOCK_CLI=1), as docs/cli.md advises, or it fails to load.
const NO_REDIS = { env: { REDIS_URL: "redis://127.0.0.1:1" } };

function ok(args: readonly string[]): string {
  const result = consumer.bin(args, NO_REDIS);
  expect({ args, status: result.status, stderr: result.stderr }).toEqual({ args, status: 0, stderr: "" });
  return result.stdout;
}

describe("byte-identical to import mode", () => {
  test.each([...EXAMPLES.map((file) => `examples/${file}`), ...FIXTURES])("%s (json: names, kinds, edges and every registration site)", (file) => {
    const imported = ok(["dag", file, "--format", "json"]);
    expect(JSON.parse(imported).flows.length).toBeGreaterThan(0);
    expect(ok(["dag", file, "--static", "--format", "json"])).toBe(imported);
  });

  test.each(["mermaid", "markdown", "dot"])("every fixture together, %s", (format) => {
    const imported = ok(["dag", ...FIXTURES, "--format", format]);
    expect(ok(["dag", ...FIXTURES, "--static", "--format", format])).toBe(imported);
  });

  test("penstock check: the same report, registration sites included", () => {
    const imported = consumer.bin(["check", ...FIXTURES]);
    expect(imported.status).toBe(1);
    expect(imported.stdout).toContain('  UNKNOWN_STEP at unknowable/typo.mjs:5:17: Step "reserve_stock"');
    expect(consumer.bin(["check", ...FIXTURES, "--static"])).toEqual(imported);
  });
});

describe("what static mode reads", () => {
  // app/: a re-export of penstock under other names, a namespace import, a const object,
  // TypeScript with `satisfies`, CommonJS require/exports, and a flow started by another's step.
  const SYSTEM_MAP =
    "graph TD\n" +
    '    subgraph checkout ["checkout"]\n' +
    '        checkout__charge["charge"] --> checkout__enqueue_shipping["enqueue_shipping"]\n' +
    '        checkout__receive(["receive"]) --> checkout__charge["charge"]\n' +
    '        checkout__receive(["receive"]) --> checkout__validate["validate"]\n' +
    '        checkout__validate["validate"] --> checkout__charge["charge"]\n' +
    "    end\n" +
    '    subgraph shipping ["shipping"]\n' +
    '        shipping__ship_order(["ship_order"]) --> shipping__pack["pack"]\n' +
    "    end\n" +
    "    checkout__enqueue_shipping -.-> shipping__ship_order\n";

  beforeAll(() => {
    // A dependency's files are never read, even one that registers flows.
    const dependency = join(consumer.dir, "app", "node_modules", "evil");
    mkdirSync(dependency, { recursive: true });
    writeFileSync(join(dependency, "index.mjs"), 'import { entrypoint } from "penstock";\nentrypoint("evil", () => undefined);\n');
  });

  test("a directory is read statically by default, without node_modules: the system map", () => {
    expect(ok(["dag", "app"])).toBe(SYSTEM_MAP);
    // Importing every file of it draws the same.
    expect(ok(["dag", "app", "--import"])).toBe(SYSTEM_MAP);
  });

  test("a glob, and the files it imports by relative paths", () => {
    expect(ok(["dag", "app/*.cjs"])).toBe(ok(["dag", "app/shipping.cjs", "--import"]));
    expect(ok(["dag", "app/**/*.ts", "--format", "json"])).toBe(ok(["dag", "app/lib/payment.ts", "--format", "json"]));
  });

  test("the cross-flow edge in one flow's drawing and in JSON", () => {
    expect(ok(["dag", "app", "--flow", "shipping"])).toBe('graph TD\n    ship_order --> pack\n    x_b832ff44["enqueue_shipping (checkout)"] -.-> ship_order\n');
    const shipping = JSON.parse(ok(["dag", "app", "--format", "json"])).flows[1];
    expect(shipping.crossFlow).toEqual([{ flow: "checkout", step: "enqueue_shipping", to: "ship_order" }]);
    expect(shipping.steps[1]).toEqual({ name: "ship_order", kind: "entrypoint", after: [], source: "app/shipping.cjs:6:23" });
  });

  test("what cannot be known is reported once with file:line:column and left out; the rest is drawn, exit 0", () => {
    const result = consumer.bin(["dag", "unknowable/dynamic.mjs", "--static"]);
    expect(result).toEqual({
      status: 0,
      stdout: 'graph TD\n    subgraph dynamic ["dynamic"]\n        dynamic__start(["start"]) --> dynamic__known["known"]\n    end\n',
      stderr:
        "penstock: unknowable/dynamic.mjs:5:1: step() cannot be read statically: the name is not a string literal (a template literal with ${...} is computed); it is left out.\n" +
        "penstock: unknowable/dynamic.mjs:7:1: step() cannot be read statically: its options are spread (...); it is left out.\n" +
        "penstock: unknowable/dynamic.mjs:8:24: step() cannot be read statically: the name is not a string literal (name is a parameter); it is left out.\n",
    });
  });

  test("a builder made in a loop: each site reported once", () => {
    writeFileSync(join(consumer.dir, "loop.mjs"), 'import { flow } from "penstock";\nfor (const name of ["a", "b"]) {\n  const f = flow(name);\n  f.entrypoint("start", () => undefined);\n}\n');
    const result = consumer.bin(["dag", "loop.mjs", "orders.mjs", "--static"]);
    expect(result.stderr).toBe(
      'penstock: loop.mjs:4:5: entrypoint() cannot be read statically: what it is called on cannot be known (the name given to flow() is not a string literal); it is left out.\n',
    );
    expect(result.status).toBe(0);
  });

  test("a file that does not parse: named with file:line:column, the others drawn; exit 2, or 1 with --check", () => {
    const drawn = ok(["dag", "orders.mjs", "--static"]);
    const result = consumer.bin(["dag", "unknowable/broken-syntax.mjs", "orders.mjs", "--static"]);
    expect(result).toEqual({
      status: 2,
      stdout: drawn,
      stderr: "penstock: unknowable/broken-syntax.mjs:4:36: ')' expected. (the file does not parse; its flows are left out)\n",
    });
    expect(consumer.bin(["dag", "orders.mjs", "--static", "--out", "flows.md"]).status).toBe(0);
    const check = consumer.bin(["dag", "unknowable/broken-syntax.mjs", "orders.mjs", "--static", "--out", "flows.md", "--check"]);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain("broken-syntax.mjs:4:36: ')' expected.");
    expect(check.stderr).toContain("flows.md is up to date.");
    expect(consumer.bin(["check", "unknowable/broken-syntax.mjs", "orders.mjs", "--static"]).status).toBe(1);
  });

  test("two files registering the same step: REGISTRY_CONFLICT naming both sites, in both modes", () => {
    const files = ["unknowable/twice-a.mjs", "unknowable/twice-b.mjs"];
    const conflict =
      'Step "validate" is already registered in flow "twice" as step after [receive] at unknowable/twice-a.mjs:3:1; ' +
      "it cannot be registered again as step after [receive] at unknowable/twice-b.mjs:3:1.";
    const imported = consumer.bin(["dag", ...files]);
    expect(imported.status).toBe(2);
    expect(imported.stderr).toContain(`penstock: could not load unknowable/twice-b.mjs: PenstockError: ${conflict}`);
    expect(imported.stderr).toMatch(/^ {4}at .*twice-b\.mjs:3:1$/m);
    expect(imported.stderr).not.toContain("penstock/dist");
    const extracted = consumer.bin(["dag", ...files, "--static"]);
    expect(extracted.status).toBe(2);
    expect(extracted.stderr).toContain(`penstock: unknowable/twice-b.mjs:3:1: ${conflict}`);
  });
});

describe("nothing runs in static mode", () => {
  test("a module that writes a file, opens a socket and exits at top level is only read", async () => {
    const net = await import("node:net");
    let connections = 0;
    const server = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const port = String((server.address() as { port: number }).port);
    const ran = join(consumer.dir, "effects", "ran.txt");
    try {
      const extracted: BinResult = consumer.bin(["dag", "effects/effects.mjs", "--static"], { env: { EFFECTS_PORT: port } });
      expect(extracted).toEqual({ status: 0, stdout: 'graph TD\n    subgraph effects ["effects"]\n        effects__effects(["effects"]) --> effects__after_effects["after_effects"]\n    end\n', stderr: "" });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect({ written: existsSync(ran), connections }).toEqual({ written: false, connections: 0 });
      // The control: imported, the same module does all of it (and its exit is a loading error).
      const imported = consumer.bin(["dag", "effects/effects.mjs"], { env: { EFFECTS_PORT: port } });
      expect(imported.status).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect({ written: existsSync(ran), connections }).toEqual({ written: true, connections: 1 });
    } finally {
      server.close();
    }
  });
});
