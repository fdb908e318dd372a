// `penstock logs` through the packed bin, on log files written by real penstock flows with the
// logging backend (spec/cli/logs-fixtures/): one process writes, another reads.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { packedConsumer, repoRoot, type Consumer } from "../support/consumer";

let consumer: Consumer;
let relayId: string;
const file = (name: string): string => join(consumer.dir, name);
const idsOf = (log: string): string[] => [...new Set([...readFileSync(file(log), "utf8").matchAll(/"correlation_id":"([^"]+)"/g)].map((match) => match[1]!))];

beforeAll(() => {
  consumer = packedConsumer(join(__dirname, "logs-fixtures"));
  cpSync(join(repoRoot, "examples", "orders.mjs"), file("orders.mjs"));
  consumer.run("write-logs.mjs", ["app.log"]);
  consumer.run("write-logs.mjs", ["iso.log", "--iso", "--cut"]);
  consumer.run("hostile.mjs", ["hostile.log"]);
  consumer.run("otel-logs.mjs", ["otel.log"]);
  consumer.run("relay.mjs", ["web.log", "worker.log"]);
  relayId = idsOf("web.log")[0]!;
}, 120_000);

afterAll(() => consumer?.remove());

const ESCAPE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

describe("penstock logs: reading", () => {
  test("other lines are skipped and counted on stderr in one line; the flow calls are rebuilt", () => {
    const result = consumer.bin(["logs", "app.log"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("penstock: read 48 lines from 1 source: 44 penstock records, 5 flow calls; skipped 2 not penstock, 2 not JSON.\n");
    expect(result.stdout).toContain("flow orders: 5 flow calls since ");
    expect(result.stdout).toMatch(/^failed flow calls \(1\):\n[0-9a-f]{32} .* error +orders \/ place_order  validate_order: order B-1 has no items$/m);
  });

  test("several files, stdin and gzip (told by its bytes, whatever the name) read as one", () => {
    writeFileSync(file("app.log.gz"), gzipSync(readFileSync(file("app.log"))));
    writeFileSync(file("zipped-no-extension"), gzipSync(readFileSync(file("iso.log"))));
    const json = (args: string[], input?: Buffer): { lines: number; records: number; flowCalls: number; stats: Record<string, { flowCalls: number }> } => {
      const result = consumer.bin(["logs", ...args, "--format", "json"], input === undefined ? {} : { input });
      expect(result.status).toBe(0);
      return JSON.parse(result.stdout);
    };
    const plain = json(["app.log", "iso.log"]);
    expect(plain).toMatchObject({ lines: 95, records: 87, flowCalls: 10 });
    expect(json(["app.log.gz", "zipped-no-extension"])).toMatchObject({ lines: 95, records: 87, flowCalls: 10 });
    expect(json(["-", "iso.log"], readFileSync(file("app.log.gz")))).toMatchObject({ lines: 95, records: 87, flowCalls: 10 });
    expect(plain.stats.orders!.flowCalls).toBe(10);
  });

  test("pino's ISO times read as its epoch milliseconds; a flow call whose step.end never came is unfinished, not dropped", () => {
    const result = consumer.bin(["logs", "iso.log", "--failed"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^unfinished flow calls \(no step.end\) \(1\):\n[0-9a-f]{32}  20\d\d-[^ ]+Z +— +unfinished +orders \/ place_order\n$/m);
    const summary = JSON.parse(consumer.bin(["logs", "iso.log", "--format", "json"]).stdout);
    expect(summary.unfinishedTotal).toBe(1);
    expect(summary.unfinished[0].steps.map((step: { step: string; outcome: string }) => `${step.step}:${step.outcome}`)).toEqual([
      "place_order:unfinished",
      "validate_order:ok",
      "reserve_stock:ok",
      "charge_payment:ok",
      "send_confirmation:ok",
    ]);
    expect(new Date(summary.firstTime).getUTCFullYear()).toBeGreaterThan(2020);
  });

  test("a file that is missing or unreadable: exit 2 naming it, before anything is read", () => {
    expect(consumer.bin(["logs", "app.log", "nope.log"])).toEqual({ status: 2, stdout: "", stderr: "penstock: cannot read log file nope.log: no such file.\n" });
    expect(consumer.bin(["logs", "."])).toMatchObject({ status: 2, stderr: "penstock: cannot read log file .: it is a directory.\n" });
    writeFileSync(file("broken.gz"), Buffer.concat([gzipSync(readFileSync(file("app.log"))).subarray(0, 200)]));
    const broken = consumer.bin(["logs", "broken.gz"]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/^penstock: cannot read log file broken.gz: .+\n$/);
  });

  test("a file that cannot be read for its permissions: exit 2, permission denied", () => {
    writeFileSync(file("secret.log"), readFileSync(file("app.log")));
    chmodSync(file("secret.log"), 0o000);
    // root reads anything: the command then runs as nobody (as spec/cli/import-mode.spec.ts does).
    let options = {};
    if (process.getuid?.() === 0) {
      chmodSync(consumer.dir, 0o755);
      const nobody = { uid: 65534, gid: 65534 };
      let node = process.execPath;
      if (spawnSync(node, ["--version"], nobody).error !== undefined) {
        node = file("node");
        copyFileSync(process.execPath, node);
        chmodSync(node, 0o755);
      }
      options = { ...nobody, node };
    }
    expect(consumer.bin(["logs", "secret.log"], options)).toEqual({ status: 2, stdout: "", stderr: "penstock: cannot read log file secret.log: permission denied.\n" });
    chmodSync(file("secret.log"), 0o644);
  });

  test("usage errors: two questions at once, a drawing without --stats, --drift without --modules", () => {
    expect(consumer.bin(["logs", "app.log", "--stats", "--failed"]).stderr).toBe("penstock: --stats and --failed are two questions: ask one at a time. Run penstock --help for the usage.\n");
    expect(consumer.bin(["logs", "app.log", "--failed", "--format", "svg"]).status).toBe(2);
    expect(consumer.bin(["logs", "app.log", "--drift"]).stderr).toContain("--drift needs --modules");
    expect(consumer.bin(["logs"]).status).toBe(2);
    expect(consumer.bin(["logs", "app.log", "--window", "soon"]).stderr).toContain("--window must be a duration");
  });
});

describe("penstock logs --id", () => {
  test("one flow call as a waterfall: steps by depth, kind, offset, duration, outcome, the failed step's message", () => {
    const failed = JSON.parse(consumer.bin(["logs", "app.log", "--failed", "--format", "json"]).stdout).failed[0].correlationId;
    const result = consumer.bin(["logs", "app.log", "--id", failed]);
    expect(result.status).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(new RegExp(`^flow call ${failed}: orders / place_order, .+Z, [\\d.]+ ms, error$`));
    expect(lines[2]).toMatch(/^step +kind +start +duration +outcome +time line \([\d.]+ ms\)$/);
    expect(lines[3]).toMatch(/^place_order +entrypoint +\+0\.00 ms +[\d.]+ ms +error +\|█+ *\|$/);
    expect(lines[4]).toMatch(/^ +error: order B-1 has no items$/);
    expect(lines[5]).toMatch(/^  validate_order +step +\+[\d.]+ ms +[\d.]+ ms +error +\| *█+ *\|$/);
  });

  test("a flow call across two services' logs is joined by its ID", () => {
    const result = consumer.bin(["logs", "web.log", "worker.log", "--id", relayId]);
    expect(result.status).toBe(0);
    const rows = result.stdout.split("\n").slice(3).filter((line) => !line.startsWith(" ".repeat(8)) && line !== "");
    expect(rows.map((row) => row.split(/ +/).slice(0, 2).join(" "))).toEqual(["accept entrypoint", " validate", "work entrypoint", " pack", " ship"]);
    expect(result.stdout).toContain("error: carrier refused the parcel");
  });

  test("an ID not in the logs: exit 1 with the closest IDs", () => {
    const near = `${relayId.slice(0, 20)}ffff`;
    const result = consumer.bin(["logs", "web.log", "worker.log", "app.log", "--id", near]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[1]).toMatch(new RegExp(`^penstock: no flow call with correlation ID ${near} in the logs\\. Closest: ${relayId}, `));
  });

  test("the OTel and logging backends together: the trace ID is the correlation ID, the spans nest", () => {
    const traceId = JSON.parse(consumer.run("otel-logs.mjs", ["otel2.log"]).trim()).traceIds[0];
    const result = consumer.bin(["logs", "otel2.log", "--id", traceId, "--format", "json"]);
    expect(result.status).toBe(0);
    const trace = JSON.parse(result.stdout);
    expect(trace).toMatchObject({ correlationId: traceId, flow: "orders", entrypoint: "place_order", outcome: "ok" });
    expect(trace.steps.map((step: { step: string; depth: number }) => `${step.depth}:${step.step}`)).toEqual([
      "0:place_order",
      "1:validate_order",
      "1:reserve_stock",
      "1:charge_payment",
      "1:send_confirmation",
    ]);
    expect(trace.steps.every((step: { spanId: string }) => /^[0-9a-f]{16}$/.test(step.spanId))).toBe(true);
  });
});

describe("penstock logs --stats", () => {
  test("a table per flow: calls, errors and percentiles per step, counts per edge", () => {
    const result = consumer.bin(["logs", "app.log", "--stats"]);
    expect(result.status).toBe(0);
    const rows = Object.fromEntries(result.stdout.split("\n").filter((line) => /^\w+ +(step|entrypoint) /.test(line)).map((line) => [line.split(/ +/)[0], line.split(/ +/).slice(1, 5)]));
    expect(rows).toEqual({
      charge_payment: ["step", "4", "0", "0"],
      place_order: ["entrypoint", "5", "1", "0"],
      reserve_stock: ["step", "4", "0", "0"],
      send_confirmation: ["step", "4", "0", "0"],
      validate_order: ["step", "5", "1", "0"],
    });
    expect(result.stdout).toMatch(/^validate_order -> reserve_stock +4$/m);
  });

  test("--format draws the figures of the logs exactly as penstock dag --stats draws the same FlowStats", () => {
    const stats = JSON.parse(consumer.bin(["logs", "app.log", "--modules", "orders.mjs", "--format", "json"]).stdout).stats.orders;
    expect(stats.steps.find((step: { step: string }) => step.step === "charge_payment").durationMs.p50).toBeGreaterThanOrEqual(9);
    writeFileSync(file("orders-stats.json"), JSON.stringify(stats));
    for (const format of ["mermaid", "markdown", "dot", "json"]) {
      const fromLogs = consumer.bin(["logs", "app.log", "--modules", "orders.mjs", "--stats", "--flow", "orders", "--format", format]);
      const fromDag = consumer.bin(["dag", "orders.mjs", "--static", "--flow", "orders", "--stats", "orders-stats.json", "--format", format]);
      expect(fromLogs.status).toBe(0);
      expect(fromLogs.stdout).toBe(fromDag.stdout);
    }
    // --direction and --color-by as for dag.
    writeFileSync(file("orders-stats.json"), JSON.stringify(stats));
    const drawing = ["--flow", "orders", "--format", "dot", "--direction", "LR", "--color-by", "errorRate"];
    const fromDag = consumer.bin(["dag", "orders.mjs", "--static", "--stats", "orders-stats.json", ...drawing]).stdout;
    expect(fromDag).toContain("rankdir=LR");
    expect(consumer.bin(["logs", "app.log", "--modules", "orders.mjs", "--stats", ...drawing]).stdout).toBe(fromDag);
    const svg = consumer.bin(["logs", "app.log", "--stats", "--format", "svg", "--out", "drawn/orders.svg"]);
    expect(svg).toMatchObject({ status: 0, stdout: "" });
    expect(svg.stderr).toContain("penstock: wrote drawn/orders.svg.\n");
    const drawn = readFileSync(file("drawn/orders.svg"), "utf8");
    expect(drawn).toMatch(/^<\?xml|^<svg/);
    expect(drawn).toContain("validate_order");
  });

  test("without --modules, the drawing comes from the edges seen in the logs", () => {
    const result = consumer.bin(["logs", "app.log", "--stats", "--format", "mermaid", "--flow", "orders"]);
    expect(result.stdout.split("\n").filter((line) => line.includes("-->")).map((line) => line.replace(/\[[^\]]*\]/g, "").trim())).toEqual([
      "charge_payment -->|4| send_confirmation",
      "place_order -->|5| validate_order",
      "reserve_stock -->|4| charge_payment",
      "validate_order -->|4| reserve_stock",
    ]);
  });
});

describe("penstock logs --drift", () => {
  test("the logs of code that runs as drawn: no drift, exit 0", () => {
    expect(consumer.bin(["logs", "app.log", "--drift", "--modules", "orders.mjs"])).toMatchObject({ status: 0, stdout: "orders: no drift\n" });
  });

  test("a drawing the code does not follow: diffDag's findings from the logs, exit 1", () => {
    const result = consumer.bin(["logs", "app.log", "--drift", "--modules", "drawn-wrong.mjs", "--format", "json"]);
    expect(result.status).toBe(1);
    const drift = JSON.parse(result.stdout).orders;
    expect(drift.undeclared).toEqual([{ from: "place_order", to: "send_confirmation", count: 4, example: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
    expect(drift.outOfOrder).toEqual([{ from: "charge_payment", to: "reserve_stock", count: 4, example: expect.any(String) }]);
    expect(drift.unpreceded).toEqual([{ step: "reserve_stock", count: 4, example: expect.any(String) }]);
    expect(drift.unexercised).toEqual([{ from: "charge_payment", to: "reserve_stock", count: 0 }]);
    // The modules imported instead of read: the same findings.
    const imported = consumer.bin(["logs", "app.log", "--drift", "--modules", "drawn-wrong.mjs", "--import", "--format", "json"]);
    expect(imported.status).toBe(1);
    expect(JSON.parse(imported.stdout)).toEqual(JSON.parse(result.stdout));
    const text = consumer.bin(["logs", "app.log", "--drift", "--modules", "drawn-wrong.mjs"]);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/^orders: 4 findings\n  undeclared    place_order -> send_confirmation \(4 calls, e\.g\. --id [0-9a-f]{32}\): called, but the drawing has no path\n/);
  });
});

describe("penstock logs --slowest and --failed", () => {
  test("--slowest N: one line per flow call, slowest first, with its ID", () => {
    const result = consumer.bin(["logs", "app.log", "--slowest", "2"]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("slowest flow calls (2):");
    const durations = lines.slice(1).map((line) => {
      expect(line).toMatch(/^[0-9a-f]{32}  \S+Z +[\d.]+ ms  ok +orders \/ place_order$/);
      return Number(/ ([\d.]+) ms/.exec(line)![1]);
    });
    expect(durations).toHaveLength(2);
    expect(durations[0]).toBeGreaterThanOrEqual(durations[1]!);
    expect(idsOf("app.log")).toContain(lines[1]!.slice(0, 32));
  });
});

describe("penstock logs: hostile strings", () => {
  test("control characters are escaped and a 1 MB message is cut, in every output", () => {
    for (const args of [["--failed"], ["--stats"], ["--id", idsOf("hostile.log")[0]!], []]) {
      const result = consumer.bin(["logs", "hostile.log", ...args]);
      expect(result.status).toBe(0);
      expect(result.stdout).not.toMatch(ESCAPE);
      expect(result.stdout.length).toBeLessThan(20_000);
      expect(result.stdout).toContain("hostile\\x1b]0;pwned\\x07");
      expect(result.stdout).toContain("start\\u202eevil");
    }
    const id = consumer.bin(["logs", "hostile.log", "--id", idsOf("hostile.log")[0]!]).stdout;
    expect(id).toContain("</script><img src=x onerror=alert(1)>");
    expect(id).toMatch(/error: \\x1b\[31mred\\x1b\[0m\\r\\n<script>alert\(2\)<\/script>x+… \(\d+ more characters\)\n/);
    expect(Number(/… \((\d+) more characters\)/.exec(id)![1])).toBeGreaterThan(1024 * 1024 - 300);
  });
});
