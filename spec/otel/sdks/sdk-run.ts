// Test support for the real-SDK specs: each SDK runs in a child process of its own (global
// providers and instrumentation hooks never leak between specs), against the built package.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export interface SeenRequest {
  readonly header: string;
  readonly body: {
    readonly handler: string;
    readonly data: string;
    readonly end: string;
    readonly sdkHandler?: string;
    readonly sdkData?: string;
    readonly sdkEnd?: string;
    readonly placed: { readonly id: string; readonly total: number };
  };
}

export interface FinishedSpan {
  readonly name: string;
  readonly kind?: number | string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
}

export interface SdkRun {
  readonly backend: string;
  readonly many: readonly SeenRequest[];
  readonly one: SeenRequest;
  readonly spans: readonly FinishedSpan[];
  readonly [other: string]: unknown;
}

/** Runs the fixture; its result, and the process warnings it printed (its stderr). */
export function runSdkFixture(fixture: string, env: Record<string, string> = {}): SdkRun & { readonly stderr: string } {
  const result = spawnSync(process.execPath, [join(__dirname, "fixtures", fixture)], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) throw new Error(`${fixture} exited ${result.status}:\n${result.stderr}`);
  return { ...(JSON.parse(result.stdout) as SdkRun), stderr: result.stderr };
}

/** The trace `traceId` as an indented tree of span names, children in start order. */
export function spanTree(spans: readonly FinishedSpan[], traceId: string): string {
  const inTrace = spans.filter((span) => span.traceId === traceId);
  const ids = new Set(inTrace.map((span) => span.spanId));
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number): void => {
    for (const span of inTrace.filter((each) => (parent === undefined ? each.parentSpanId === undefined || !ids.has(each.parentSpanId) : each.parentSpanId === parent))) {
      lines.push(`${"  ".repeat(depth)}${span.name}${span.kind === undefined ? "" : ` [${span.kind}]`}`);
      walk(span.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines.join("\n");
}

/** The names of the spans from `spanId` up to the root of its trace. */
export function ancestors(spans: readonly FinishedSpan[], spanId: string): string[] {
  const names: string[] = [];
  let current = spans.find((span) => span.spanId === spanId);
  while (current?.parentSpanId !== undefined) {
    current = spans.find((span) => span.spanId === current!.parentSpanId);
    if (current !== undefined) names.push(current.name);
  }
  return names;
}

/** The assertions every SDK must pass: one ID per request, kept in body listeners, spans nested under the server span. */
export function expectOneIdPerRequest(run: SdkRun, serverSpan: (span: FinishedSpan) => boolean): void {
  const requests = [...run.many, run.one];
  const ids = requests.map((request) => request.header);
  expect(new Set(ids).size).toBe(requests.length);
  for (const request of requests) {
    const id = request.header;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const { handler, data, end, placed } = request.body;
    expect({ handler, data, end, placed: placed.id }).toEqual({ handler: id, data: id, end: id, placed: id });
    if (request.body.sdkHandler !== undefined) expect([request.body.sdkHandler, request.body.sdkData, request.body.sdkEnd]).toEqual([id, id, id]);
    const entry = run.spans.find((span) => span.name === "place_order" && span.traceId === id);
    expect(entry).toBeDefined();
    const server = run.spans.find((span) => span.traceId === id && serverSpan(span));
    expect(server).toBeDefined();
    expect(ancestors(run.spans, entry!.spanId)).toContain(server!.name);
    const child = run.spans.find((span) => span.name === "price_order" && span.traceId === id);
    expect(child?.parentSpanId).toBe(entry!.spanId);
  }
}
