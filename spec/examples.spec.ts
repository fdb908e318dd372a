// The examples and the demo run as the README says, against the built package.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./support/consumer";
import { ORDERS_MERMAID } from "./support/orders";
import { REDIS_SETUP_TIMEOUT, startRedis, type Redis } from "./support/redis";

function node(args: string[]): { stdout: string; stderr: string; status: number | null } {
  if (!existsSync(join(repoRoot, "dist", "index.js"))) throw new Error("dist/ is missing: run `npm run build` first.");
  return spawnSync(process.execPath, args, { cwd: repoRoot, encoding: "utf8", timeout: 60_000 });
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
}

test("the demo prints the pino records of two orders and the Mermaid DAG", () => {
  const { stdout, status, stderr } = node(["examples/demo.mjs"]);
  expect(stderr).toBe("");
  expect(status).toBe(0);
  const records = jsonLines(stdout);
  const ids = [...new Set(records.map((r) => r.correlation_id))];
  expect(ids).toHaveLength(2);
  expect(records.filter((r) => r.msg === "step.end" && r.outcome === "error").map((r) => r.step)).toEqual(["validate_order", "place_order"]);
  expect(records.filter((r) => r.msg === "step.end" && r.outcome === "ok").map((r) => r.step)).toEqual([
    "validate_order",
    "reserve_stock",
    "charge_payment",
    "send_confirmation",
    "place_order",
  ]);
  expect(stdout.endsWith(ORDERS_MERMAID)).toBe(true);
});

test("the README quick start runs as written (TypeScript through ts-node's ESM loader)", () => {
  const { stdout, status, stderr } = node(["--loader", "ts-node/esm", "examples/quickstart.ts"]);
  expect({ status, stderr: status === 0 ? "" : stderr }).toEqual({ status: 0, stderr: "" });
  expect(stdout).toContain("mailed cust-42: order A-1001 paid (pay_A-1001)");
  const records = jsonLines(stdout);
  expect(records).toHaveLength(10);
  expect(new Set(records.map((r) => r.correlation_id)).size).toBe(1);
  expect(stdout).toContain("    validate_order --> charge_payment\n");
});

test("the custom backend example prints its timing tree", () => {
  const { stdout, status } = node(["examples/custom-backend.mjs"]);
  expect(status).toBe(0);
  expect(stdout).toMatch(/^> orders\/place_order \[[0-9a-f]{8}\]$/m);
  expect(stdout).toMatch(/^ {2}< validate_order failed: order B-2: not enough "mug" in stock/m);
  expect(stdout).toContain("add(2, 3) = 5");
});

test("the testing example passes under node --test", () => {
  // The file by name: `node --test <dir>/` reads the folder as a file path on Node 22 and later.
  // The TAP reporter by name: the default one for a pipe is not TAP on every version.
  const { stdout, status } = node(["--test", "--test-reporter=tap", "examples/orders.test.mjs"]);
  expect(stdout).toMatch(/# pass 2\n# fail 0/);
  expect(status).toBe(0);
});

test("the OpenTelemetry example prints its spans, one flow ID per request from request to worker, and the span tree", () => {
  const { stdout, status, stderr } = node(["examples/otel.mjs"]);
  expect(stderr).toBe("");
  expect(status).toBe(0);
  // The SDK's console exporter printed every span (9 per request).
  expect(stdout.match(/^ {2}name: '/gm)).toHaveLength(18);
  const idLines = [...stdout.matchAll(/^([0-9a-f]{32}) {2}(.+)$/gm)].map(([, id, where]) => ({ id, where: where!.trim() }));
  expect(idLines.map((line) => line.where)).toEqual([
    "request 1 (upstream traceparent), before any span",
    "checkout (entrypoint span)",
    "worker for request 1, before any span",
    "ship_order (entrypoint span)",
    "request 2 (no trace context), before any span",
    "checkout (entrypoint span)",
    "worker for request 2, before any span",
    "ship_order (entrypoint span)",
  ]);
  expect(new Set(idLines.slice(0, 4).map((line) => line.id))).toEqual(new Set(["4bf92f3577b34da6a3ce929d0e0e4736"]));
  const second = idLines[4]!.id;
  expect(new Set(idLines.slice(4).map((line) => line.id))).toEqual(new Set([second]));
  const tree = stdout.slice(stdout.indexOf("## The span tree"));
  expect(tree).toMatch(/^├─ checkout \[entrypoint\] trace=4bf92f3577b34da6a3ce929d0e0e4736 .*\(parent 00f067aa0ba902b7, remote\)$/m);
  expect(tree).toMatch(new RegExp(`^└─ checkout \\[entrypoint\\] trace=${second} span=[0-9a-f]{16} [0-9.]+ ms$`, "m"));
  expect(tree).toMatch(/^│ {5}└─ ship_order \[entrypoint\] trace=4bf92f3577b34da6a3ce929d0e0e4736/m);
  expect(tree.match(/trace=/g)).toHaveLength(18);
});

test("docs/flows.md is what the CLI draws from examples/orders.mjs (the CI recipe of docs/cli.md, run on this repository)", () => {
  const { stdout, stderr, status } = node(["dist/cli.js", "dag", "examples/orders.mjs", "--format", "markdown", "--out", "docs/flows.md", "--check"]);
  expect({ status, stdout, stderr }).toEqual({ status: 0, stdout: "", stderr: "penstock: docs/flows.md is up to date.\n" });
});

test("the HTTP example: each response's X-Correlation-ID is on every line its request logged; a hostile ID is replaced", () => {
  const { stdout, status, stderr } = node(["examples/http.mjs"]);
  expect(stderr).toBe("");
  expect(status).toBe(0);
  const sections = stdout.split("\n## ").slice(1);
  expect(sections).toHaveLength(3);
  const headers = sections.map((section) => /^response header X-Correlation-ID: (.+)$/m.exec(section)![1]!);
  expect(headers[0]).toMatch(/^[0-9a-f]{32}$/);
  expect(headers[1]).toBe("upstream-7f3a");
  expect(headers[2]).toMatch(/^[0-9a-f]{32}$/);
  sections.forEach((section, i) => {
    const records = jsonLines(section);
    expect(records.map((r) => r.msg)).toEqual(["request received", "step.start", "looking the order up", "step.start", "step.end", "step.end"]);
    expect(new Set(records.map((r) => r.correlation_id))).toEqual(new Set([headers[i]]));
  });
  expect(stdout).not.toContain("x".repeat(200));
});

describe("the BullMQ example", () => {
  // The only examples that need Redis: redis-server on the PATH (installed if need be) for the
  // example's own, and one started here for REDIS_URL.
  let redis: Redis | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  }, REDIS_SETUP_TIMEOUT);
  afterAll(() => redis?.stop());

  test("the end-to-end BullMQ example (its own redis-server): one ID on the response header, the handler's log lines and the worker's step logs", () => {
    const env = { ...process.env };
    delete env.REDIS_URL;
    const { stdout, status, stderr } = spawnSync(process.execPath, ["examples/bullmq.mjs"], { cwd: repoRoot, encoding: "utf8", timeout: 60_000, env });
    expect(stderr).toBe("");
    expect(status).toBe(0);
    const id = /^response header {3}X-Correlation-ID: ([0-9a-f]{32})$/m.exec(stdout)![1]!;
    const records = jsonLines(stdout);
    const handlerLines = records.filter((r) => r.process === "web");
    expect(handlerLines.map((r) => r.msg)).toEqual(["request received", "placing the order", "shipping queued"]);
    const workerSteps = records.filter((r) => r.flow === "shipping" && typeof r.step === "string");
    expect(workerSteps.map((r) => `${r.msg}:${r.step}`)).toEqual(["step.start:ship_order", "step.start:pack_parcel", "step.end:pack_parcel", "step.end:ship_order"]);
    expect(new Set([...handlerLines, ...workerSteps].map((r) => r.correlation_id))).toEqual(new Set([id]));
    expect(new Set(records.map((r) => r.correlation_id))).toEqual(new Set([id]));
    expect(stdout).toContain(`currentFlowId() in the worker: ${id}\none ID throughout: true\n`);
  });

  test("the BullMQ example uses REDIS_URL when it is set", () => {
    const env = { ...process.env, REDIS_URL: redis!.url };
    const { stdout, status, stderr } = spawnSync(process.execPath, ["examples/bullmq.mjs"], { cwd: repoRoot, encoding: "utf8", timeout: 60_000, env });
    expect({ status, stderr }).toEqual({ status: 0, stderr: "" });
    expect(stdout).toContain("one ID throughout: true\n");
  });
});
