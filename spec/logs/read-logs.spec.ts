// readLogs: the reader (files, stdin, gzip, skipped lines), the assembly of flow calls (IDs,
// spans, several files, the window) and the figures and drift replayed from the logs.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import pino from "pino";
import { configure, diffDag, entrypoint, flowStats, getRegistry, loggingBackend, runInFlow, step } from "../../lib";
import { readLogs } from "../../lib/logs";
import { resetPenstock } from "../../lib/testing";

let dir: string;
beforeEach(() => {
  resetPenstock();
  dir = mkdtempSync(join(tmpdir(), "penstock-logs-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 0, 1);

interface Line {
  readonly event: "start" | "end";
  readonly id: string;
  readonly span: string;
  readonly parent?: string;
  readonly step: string;
  readonly kind?: "entrypoint" | "step";
  readonly flow?: string;
  readonly at: number;
  readonly ms?: number;
  readonly outcome?: string;
  readonly err?: string;
}

/** A line as the logging backend writes it (lib/backends/logging.ts), at `at` ms after T0. */
function line({ event, id, span, parent, step: name, kind = parent === undefined ? "entrypoint" : "step", flow = "f", at, ms = 1, outcome = "ok", err }: Line): string {
  const fields: Record<string, unknown> = { level: 30, time: T0 + at, flow, step: name, kind, correlation_id: id, span_id: span, parent_span_id: parent };
  if (event === "end") Object.assign(fields, { duration_ms: ms, outcome }, err === undefined ? {} : { err: { type: "Error", message: err, stack: `Error: ${err}` } });
  return JSON.stringify({ ...fields, msg: `step.${event}` });
}

/** A flow call of one entrypoint and one step, `ms` long, beginning `at`. */
function call(id: string, at: number, ms = 4, failing = false): string[] {
  return [
    line({ event: "start", id, span: `${id}-r`, step: "begin", at }),
    line({ event: "start", id, span: `${id}-c`, parent: `${id}-r`, step: "work", at: at + 1 }),
    line({ event: "end", id, span: `${id}-c`, parent: `${id}-r`, step: "work", at: at + 2, ms: 1, outcome: failing ? "error" : "ok", ...(failing ? { err: "boom" } : {}) }),
    line({ event: "end", id, span: `${id}-r`, step: "begin", at: at + ms, ms, outcome: failing ? "error" : "ok", ...(failing ? { err: "boom" } : {}) }),
  ];
}

const write = (name: string, lines: string[] | string | Buffer): string => {
  writeFileSync(join(dir, name), Array.isArray(lines) ? `${lines.join("\n")}\n` : (lines as string | Buffer));
  return name;
};
const read = (files: string[], options: Parameters<typeof readLogs>[1] = {}) => readLogs(files, { cwd: dir, ...options });

describe("reading", () => {
  test("every other line is skipped and counted by reason; blank lines and CRLF endings are no trouble", async () => {
    const file = write("mixed.log", [
      ...call("a", 0),
      "plain text",
      '{"level":30,"time":1,"msg":"request completed"}',
      '{"level":30,"span_id":"x","msg":"step.start"}',
      '{"level":30,"span_id": broken',
      "",
      `${line({ event: "start", id: "b", span: "b-r", step: "begin", at: 10 })}\r`,
      line({ event: "end", id: "b", span: "b-r", step: "begin", at: 11, ms: 1 }),
    ]);
    const summary = await read([file]);
    expect(summary).toMatchObject({ lines: 10, records: 6, flowCalls: 2, skipped: { "not JSON": 1, "not penstock": 1, malformed: 2 } });
  });

  test("pino's times: epoch milliseconds, epoch seconds (unixTime), ISO strings; a prefix before the JSON (docker -t, kubectl --prefix)", async () => {
    const [start, end] = [line({ event: "start", id: "a", span: "r", step: "begin", at: 0 }), line({ event: "end", id: "a", span: "r", step: "begin", at: 2000, ms: 2000 })];
    const iso = (text: string) => text.replace(/"time":(\d+)/, (_, ms) => `"time":"${new Date(Number(ms)).toISOString()}"`);
    const seconds = (text: string) => text.replace(/"time":(\d+)/, (_, ms) => `"time":${Number(ms) / 1000}`);
    for (const lines of [[start, end], [iso(start), iso(end)], [seconds(start), seconds(end)], [`2026-01-01T00:00:00.000000000Z ${start}`, `[pod/web-1/app] ${end}`]]) {
      const summary = await read([write("t.log", lines)]);
      expect(summary).toMatchObject({ records: 2, firstTime: T0, lastTime: T0 + 2000 });
      expect(summary.slowest[0]).toMatchObject({ correlationId: "a", startedAt: T0, durationMs: 2000 });
    }
  });

  test("a custom pino messageKey: records are told by their fields", async () => {
    const lines = call("a", 0).map((text) => text.replace('"msg":', '"message":'));
    expect(await read([write("k.log", lines)])).toMatchObject({ records: 4, flowCalls: 1 });
  });

  test("stdin, and gzip told by its magic bytes rather than its name", async () => {
    const gz = gzipSync(`${call("a", 0).join("\n")}\n`);
    write("plain-name.log", gz);
    expect(await read(["plain-name.log"])).toMatchObject({ records: 4, flowCalls: 1 });
    expect(await read(["-"], { stdin: Readable.from([gz.subarray(0, 1), gz.subarray(1)]) })).toMatchObject({ records: 4, flowCalls: 1 });
  });

  test("a missing file is named, and nothing is read", async () => {
    await expect(read([write("ok.log", call("a", 0)), "missing.log"])).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: "cannot read log file missing.log: no such file." });
  });
});

describe("assembling flow calls", () => {
  test("steps are placed under their parent by span; failed calls keep the message; slowest first", async () => {
    const summary = await read([write("a.log", [...call("slow", 0, 50), ...call("fast", 100, 3), ...call("bad", 200, 5, true)])], { slowest: 2 });
    expect(summary.slowest.map((trace) => trace.correlationId)).toEqual(["slow", "bad"]);
    expect(summary.failed).toHaveLength(1);
    expect(summary.failed[0]).toMatchObject({
      correlationId: "bad",
      flow: "f",
      entrypoint: "begin",
      outcome: "error",
      steps: [
        { step: "begin", kind: "entrypoint", depth: 0, parentSpanId: undefined, offsetMs: 0, durationMs: 5, outcome: "error", error: "boom" },
        { step: "work", kind: "step", depth: 1, parentSpanId: "bad-r", offsetMs: 1, durationMs: 1, outcome: "error", error: "boom" },
      ],
    });
  });

  test("one flow call across two files is joined, the records merged in log time", async () => {
    const [rootStart, childStart, childEnd, rootEnd] = call("x", 0, 10);
    const web = write("web.log", [rootStart!, rootEnd!]);
    const worker = write("worker.log", [childStart!, childEnd!]);
    const summary = await read([web, worker], { findId: "x" });
    expect(summary.flowCalls).toBe(1);
    expect(summary.trace?.steps.map((s) => `${s.depth}:${s.step}`)).toEqual(["0:begin", "1:work"]);
  });

  test("a step.end whose step.start is missing is still counted, begun its duration earlier", async () => {
    const summary = await read([write("o.log", [line({ event: "end", id: "o", span: "r", step: "begin", at: 30, ms: 20 })])], { findId: "o" });
    expect(summary.trace).toMatchObject({ startedAt: T0 + 10, durationMs: 20, outcome: "ok" });
    expect(summary.stats.get("f")?.steps.find((s) => s.step === "begin")?.calls).toBe(1);
  });

  test("a flow call still open past the window (log time) is handed over as unfinished; memory holds only the window", async () => {
    const open = line({ event: "start", id: "stuck", span: "s", step: "begin", at: 0 });
    // Enough later flow calls for the reader to sweep: 300 calls of 4 records, one a second.
    const later = Array.from({ length: 300 }, (_, i) => call(`c${i}`, 1_000 * (i + 1))).flat();
    const summary = await read([write("w.log", [open, ...later])], { windowMs: 60_000 });
    expect(summary.unfinishedTotal).toBe(1);
    expect(summary.unfinished[0]).toMatchObject({ correlationId: "stuck", outcome: "unfinished", durationMs: undefined, steps: [{ step: "begin", outcome: "unfinished", durationMs: undefined }] });
    expect(summary.flowCalls).toBe(301);
    // The step that never ended is no call in the figures.
    expect(summary.stats.get("f")?.steps.find((s) => s.step === "begin")?.calls).toBe(300);
  });

  test("--id not found: the closest IDs seen, prefixes first", async () => {
    const summary = await read([write("i.log", [...call("4bf92f3577b34da6", 0), ...call("9999", 10), ...call("4bf92f35aaaaaaaa", 20)])], { findId: "4bf92f35" });
    expect(summary.trace).toBeUndefined();
    expect(summary.closestIds?.slice(0, 2).sort()).toEqual(["4bf92f3577b34da6", "4bf92f35aaaaaaaa"]);
    // Eight characters or more that begin one ID only find it, as a short commit hash does.
    const unique = await read(["i.log"], { findId: "4bf92f3577" });
    expect(unique.trace?.correlationId).toBe("4bf92f3577b34da6");
    expect((await read(["i.log"], { findId: "9999" })).trace?.correlationId).toBe("9999");
    expect((await read(["i.log"], { findId: "999" })).trace).toBeUndefined();
  });
});

describe("figures and drift from the logs", () => {
  test("the same FlowStats counts and DagDiff as the live process that wrote the logs", async () => {
    const file = join(dir, "live.log");
    configure(loggingBackend({ logger: pino(pino.destination({ dest: file, sync: true })) }));
    const load = step("load", async () => new Promise((resolve) => setTimeout(resolve, 3)), { flow: "shop" });
    const save = step("save", async (fail: boolean) => {
      if (fail) throw new Error("disk full");
    }, { after: load });
    const audit = step("audit", async () => undefined, { flow: "shop" });
    const handle = entrypoint("handle", async (fail: boolean) => {
      await save(fail).catch(() => undefined);
      await load();
      await audit();
    }, { flow: "shop" });
    step("never", async () => undefined, { after: save });
    for (let i = 0; i < 5; i++) await handle(i === 3);
    await runInFlow({}, () => load());
    const live = { stats: flowStats("shop"), drift: diffDag("shop") };
    const registry = getRegistry();
    const summary = await readLogs([file], { registry });
    expect(summary.drift.get("shop")).toEqual(live.drift);
    const fromLogs = summary.stats.get("shop")!;
    expect(fromLogs.flowCalls).toBe(live.stats.flowCalls);
    expect(fromLogs.edges).toEqual(live.stats.edges);
    expect(fromLogs.steps.map(({ step: name, kind, calls, errors }) => ({ name, kind, calls, errors }))).toEqual(live.stats.steps.map(({ step: name, kind, calls, errors }) => ({ name, kind, calls, errors })));
    // The same histogram: the logged durations (two decimals) land within the live percentiles' 2 %.
    const loadP50 = (stats: typeof fromLogs) => stats.steps.find((s) => s.step === "load")!.durationMs.p50;
    expect(loadP50(fromLogs)).toBeGreaterThan(loadP50(live.stats) * 0.9);
    expect(loadP50(fromLogs)).toBeLessThan(loadP50(live.stats) * 1.1);
    expect(summary.logOnlyFlows).toEqual([]);
  });

  test("a flow no module declares is drawn from the edges seen: each step after the step it followed, or its caller", async () => {
    const summary = await read([write("e.log", call("a", 0))]);
    expect(summary.logOnlyFlows).toEqual(["f"]);
    expect(summary.edges.get("f")).toEqual([{ from: "begin", to: "work", kind: "call", count: 1, example: "a" }]);
    expect(summary.registry.flow("f").steps.work?.after).toEqual(["begin"]);
    expect(summary.stats.get("f")?.edges).toEqual([{ from: "begin", to: "work", count: 1 }]);
  });
});
