// The built package, installed from its tarball, used by plain `node` scripts (ESM and CJS).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { packedConsumer, repoRoot, type Consumer } from "../support/consumer";

const ENTRIES = ["penstock", "penstock/testing", "penstock/otel", "penstock/http", "penstock/pino", "penstock/bullmq"] as const;

let consumer: Consumer;

beforeAll(() => {
  consumer = packedConsumer(join(__dirname, "fixtures"));
});

afterAll(() => consumer?.remove());

test("an ESM script imports penstock and penstock/testing", () => {
  const out = JSON.parse(consumer.run("esm.mjs"));
  expect(out.result).toEqual({ ok: true, id: expect.stringMatching(/^[0-9a-f]{32}$/) });
  expect(out.messages).toEqual(["step.start:receive", "step.start:validate", "step.end:validate", "step.end:receive"]);
  expect(out.sameId).toBe(true);
  expect(out.outsideFlowCode).toBe("OUTSIDE_FLOW");
  expect(out.recorded).toEqual(["validate", "receive"]);
  expect(out.dag).toBe("graph TD\n    receive --> validate\n");
});

test("a CommonJS script requires penstock and penstock/testing", () => {
  const out = JSON.parse(consumer.run("cjs.cjs"));
  expect(out).toEqual({
    value: 42,
    steps: ["double", "receive", "double", "receive"],
    inbound: "req-42",
    flows: ["cjs_orders"],
    afterReset: [],
  });
});

test("the ESM and CommonJS builds in one process share registry, context and configuration", () => {
  const out = JSON.parse(consumer.run("dual.mjs"));
  expect(out.distinctModules).toBe(true);
  expect(out.result.inner).toEqual({ id: out.result.id, value: "set-by-esm" });
  expect(out.result.id).toMatch(/^[0-9a-f]{32}$/);
  expect(out.esmBackendIsCjsRecorder).toBe(true);
  expect(out.recorded).toEqual(["inner", "outer"]);
  expect(out.registryFromCjs).toEqual(["inner", "outer"]);
  expect(out.registryFromEsm).toEqual(["inner", "outer"]);
  expect(out.sameErrorCode).toBe("UNKNOWN_FLOW");
});

test("penstock/otel from ESM: real spans, flowIdGenerator, one ID across a carrier", () => {
  const out = JSON.parse(consumer.run("otel.mjs"));
  expect(out.first.id).toMatch(/^[0-9a-f]{32}$/);
  expect(out.first.charged).toBe(out.first.id);
  expect(out.first.carrier).toEqual({ traceparent: expect.stringContaining(out.first.id), "x-correlation-id": out.first.id });
  expect(out.opened).toEqual({ before: out.first.id, during: { id: out.first.id, charged: out.first.id, carrier: expect.any(Object) } });
  expect(out.spans.map((span: { name: string }) => span.name)).toEqual(["charge", "place", "charge", "place"]);
  expect(new Set(out.spans.map((span: { traceId: string }) => span.traceId))).toEqual(new Set([out.first.id]));
  expect(out.spans[0].scope).toBe("consumer");
});

test("penstock/otel from CommonJS: the trace ID is the flow's ID, an inbound trace ID is continued", () => {
  const out = JSON.parse(consumer.run("otel.cjs"));
  expect(out.traceIds).toEqual([out.direct, "4bf92f3577b34da6a3ce929d0e0e4736"]);
  expect(out.continued).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
});

test("without @opentelemetry/api: penstock and penstock/otel import, logging is auto-selected, flows still cross a carrier, and otel says what to install", () => {
  const bare = packedConsumer(join(__dirname, "fixtures"), { without: ["@opentelemetry"] });
  try {
    // The default logger's lines and the script's summary share stdout.
    const records = bare.run("no-otel.mjs").trim().split("\n").map((line) => JSON.parse(line));
    const out = records.find((record) => "resolved" in record);
    expect(out.resolved).toBe("not found");
    expect(out.result).toBe("ran");
    expect(out.auto).toBe("logging");
    expect(out.factoryError).toBe("OTEL_UNAVAILABLE");
    expect(out.carried).toBe(true);
    expect(out.error).toEqual({
      isPenstockError: true,
      code: "OTEL_UNAVAILABLE",
      message: expect.stringContaining("npm install @opentelemetry/api"),
    });
    // The default logging backend wrote its two records to stdout.
    expect(records.filter((record) => "msg" in record).map((record) => record.msg)).toEqual(["step.start", "step.end", "step.start", "step.end"]);
  } finally {
    bare.remove();
  }
});

test("penstock/http, penstock/pino and penstock/bullmq from ESM", () => {
  const out = JSON.parse(consumer.run("integrations.mjs"));
  expect(out.header).toBe("esm-req-1");
  expect(out.body).toBe("esm-req-1");
  expect(out.handled).toMatchObject({ msg: "handled", path: "/x", correlation_id: "esm-req-1" });
  expect(out.carrierId).toMatch(/^[0-9a-f]{32}$/);
  expect(out.worked).toEqual({ id: out.carrierId, n: 1 });
  expect(out.kinds).toEqual(["function", "function", "function", "object"]);
});

test("penstock/http, penstock/pino and penstock/bullmq from CommonJS; a hostile inbound ID is replaced", () => {
  const out = JSON.parse(consumer.run("integrations.cjs"));
  expect(out.header).toMatch(/^[0-9a-f]{32}$/);
  expect(out.body).toEqual({ id: out.header });
  expect(out.handled).toMatchObject({ msg: "handled", correlation_id: out.header });
  expect(out.worked).toEqual({ id: out.carrierId, n: 2 });
  expect(out.middleware).toBe("function");
});

test("without express, bullmq and ioredis installed, penstock and every integration entry still import and work", () => {
  const bare = packedConsumer(join(__dirname, "fixtures"), { without: ["express", "bullmq", "ioredis", "@types"] });
  try {
    const out = JSON.parse(bare.run("integrations.mjs"));
    expect(out.resolvable).toEqual({ bullmq: false, express: false, ioredis: false });
    expect(out.header).toBe("esm-req-1");
    expect(out.worked).toEqual({ id: out.carrierId, n: 1 });
  } finally {
    bare.remove();
  }
});

test("each entry loads on its own, from ESM and from CommonJS, with the same exports", () => {
  for (const entry of ENTRIES) {
    const esm = JSON.parse(consumer.run("load.cjs", [entry, "esm"]));
    const cjs = JSON.parse(consumer.run("load.cjs", [entry, "cjs"]));
    expect({ entry, exports: cjs }).toEqual({ entry, exports: esm });
    expect(esm.length).toBeGreaterThan(0);
  }
});

test("an error penstock throws is instanceof PenstockError, whichever entry and build threw it and whichever build it is checked against", () => {
  const out = JSON.parse(consumer.run("errors.mjs"));
  expect(out.distinctBuilds).toBe(true);
  const rows = Object.entries(out.penstock as Record<string, Record<string, unknown>>);
  // 10 ways to get a PenstockError (every entry), from each build.
  expect(rows).toHaveLength(20);
  for (const [row, result] of rows) {
    expect({ row, result }).toEqual({
      row,
      result: {
        "esm instanceof": true,
        "cjs instanceof": true,
        "esm isPenstockError": true,
        "cjs isPenstockError": true,
        name: "PenstockError",
        code: expect.stringMatching(/^[A-Z_]+$/),
        isError: true,
        enumerableSymbols: 0,
      },
    });
  }
  const no = { "esm instanceof": false, "cjs instanceof": false, "esm isPenstockError": false, "cjs isPenstockError": false };
  expect(out.foreign).toEqual({
    "a plain Error named PenstockError with a code": no,
    "an Error": no,
    "a TypeError": no,
    "an object shaped like a PenstockError": no,
    "an object made from PenstockError.prototype": no,
    null: no,
    "a string": no,
  });
  expect(out.subclass).toEqual({ appErrorIsPenstockError: true, appErrorIsAppError: true, penstockErrorIsAppError: false, thrownIsAppError: false });
  expect(out.shape).toEqual({
    name: "PenstockError",
    code: "UNKNOWN_FLOW",
    message: "no such flow",
    causeKept: true,
    ownKeys: ["code", "name"],
    json: { code: "UNKNOWN_FLOW", name: "PenstockError" },
    stackNamesIt: true,
  });
});

describe("the packed dist/ holds the core once per build", () => {
  const CORE = /\bPenstockError = class\b|\bclass PenstockError\b/;
  const dist = () => join(consumer.dir, "node_modules", "penstock", "dist");
  const read = (file: string) => readFileSync(join(dist(), file), "utf8");

  test.each([
    ["ESM", "js", /^import\b[^;]*?from "\.\/(chunk-[\w-]+\.js)";/gm],
    ["CommonJS", "cjs", /require\("\.\/(chunk-[\w-]+\.cjs)"\)/g],
  ])("%s: PenstockError is defined in one shared chunk, which every entry imports; the subpath entries are small", (_build, extension, importPattern) => {
    const files = readdirSync(dist()).filter((file) => file.endsWith(`.${extension}`) && file !== "cli.js");
    const defining = files.filter((file) => CORE.test(read(file)));
    expect(defining).toHaveLength(1);
    const [core] = defining;
    expect(core).toMatch(/^chunk-/);
    // What each entry pulls in, its own chunks and theirs.
    const reachable = (file: string, seen = new Set<string>()): Set<string> => {
      for (const match of read(file).matchAll(importPattern)) {
        const chunk = match[1]!;
        if (!seen.has(chunk)) reachable(chunk, seen.add(chunk));
      }
      return seen;
    };
    for (const entry of ["index", "testing", "otel", "http", "pino", "bullmq"]) {
      const file = `${entry}.${extension}`;
      expect({ file, core: reachable(file).has(core!) }).toEqual({ file, core: true });
      if (entry !== "index") expect({ file, size: statSync(join(dist(), file)).size < 8_000 }).toEqual({ file, size: true });
    }
  });
});

describe("the published types compile with skipLibCheck: false", () => {
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");

  test("in a project with @opentelemetry/api, a real Tracer included", () => {
    expect(consumer.run(tsc, ["-p", "types/tsconfig.otel.json"])).toBe("");
  });

  test("in a project without @opentelemetry/api", () => {
    const bare = packedConsumer(join(__dirname, "fixtures"), { without: ["@opentelemetry"] });
    try {
      expect(bare.run(tsc, ["-p", "types/tsconfig.json"])).toBe("");
    } finally {
      bare.remove();
    }
  });
});
