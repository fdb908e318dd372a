// readLogs: penstock's records read from log files (merged in log-time order), replayed into
// the observations, with the flow calls worth showing kept as traces.
import { graphDiff, type DagDiff } from "../dag/diff-dag";
import { flowStats, type FlowStats } from "../dag/flow-stats";
import { flowGraph } from "../dag/graph";
import { clearRecords, observations, observationsOf } from "../observations/records";
import { getRegistry } from "../registry/registry";
import type { Registry } from "../types";
import { callAssembler, type LogEdge } from "./assemble-calls";
import { closestIds } from "./closest-ids";
import { registryWithLogFlows } from "./log-registry";
import { parseLine, type SkipReason, type StepRecordLine } from "./parse-record";
import { checkLogFiles, logLineBatches, type LineBatch } from "./read-lines";
import { ReplayRecords } from "./replay";
import type { FlowCallTrace } from "./trace";

/** Options of {@link readLogs}. */
export interface LogReadOptions {
  /** A flow call still open this long (log time, ms) after it began is given up on as unfinished. Default 10 minutes. */
  readonly windowMs?: number;
  /** How many of the slowest finished flow calls to keep. Default 10. */
  readonly slowest?: number;
  /**
   * Keep every record of this correlation ID, joined across files, and return it as `trace`. Eight
   * characters or more also find the one flow call whose ID begins with them.
   */
  readonly findId?: string;
  /** The declared flows (after loading --modules). Default: this process's registry. */
  readonly registry?: Registry;
  /** Relative file names are read from here. Default process.cwd(). */
  readonly cwd?: string;
  /** What "-" reads. Default process.stdin. */
  readonly stdin?: NodeJS.ReadableStream;
}

/** What {@link readLogs} found. */
export interface LogSummary {
  /** Lines read (blank ones aside), penstock records used, and lines skipped by reason (non-zero reasons only). */
  readonly lines: number;
  readonly records: number;
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
  /** Log time (epoch ms) of the first and last record, when they had one. */
  readonly firstTime: number | undefined;
  readonly lastTime: number | undefined;
  /** Flow calls assembled: finished and unfinished. */
  readonly flowCalls: number;
  /** Per flow (declared in `registry`, or only in the logs), the figures, as flowStats() gives them live. */
  readonly stats: ReadonlyMap<string, FlowStats>;
  /** Per flow, each step call's predecessor as seen: its previous finished sibling ("order"), else its caller ("call"). */
  readonly edges: ReadonlyMap<string, readonly LogEdge[]>;
  /** Per declared flow, the drift of the logs from its drawing: diffDag's shape and semantics. */
  readonly drift: ReadonlyMap<string, DagDiff>;
  /** Flows in the logs that `registry` does not declare: drawn from `edges`, not checked for drift. */
  readonly logOnlyFlows: readonly string[];
  /** What to draw with: the declared flows and the log-only ones (generateDag(flow, { registry, stats: true })). */
  readonly registry: Registry;
  /** The slowest finished flow calls, slowest first. */
  readonly slowest: readonly FlowCallTrace[];
  /** Flow calls in which a step ended with an error, in the order they ended (the first {@link MAX_LISTED}). */
  readonly failed: readonly FlowCallTrace[];
  readonly failedTotal: number;
  /** Flow calls whose step.end never came (within the window, or before the logs ended), the first {@link MAX_LISTED}. */
  readonly unfinished: readonly FlowCallTrace[];
  readonly unfinishedTotal: number;
  /** With `findId`: the flow call, every file's records of it joined. */
  readonly trace?: FlowCallTrace;
  /** With `findId` not found: the nearest IDs seen (up to 5). */
  readonly closestIds?: readonly string[];
}

/** The most failed (and unfinished) flow calls kept as traces; the rest are counted. */
export const MAX_LISTED = 1_000;
export const DEFAULT_WINDOW_MS = 10 * 60 * 1000;
/** `findId` this long or longer also matches the one ID it is a prefix of. */
export const MIN_PREFIX = 8;
const MAX_PREFIX_MATCHES = 5;

interface Counts {
  lines: number;
  readonly skipped: Record<string, number>;
}

/** What is known of one source as it is read: the last time seen and the overlong lines counted. */
interface SourceState {
  last: number;
  dropped: number;
}

/** Hands each record of `batch` to `take`, counting the lines skipped. */
function parseBatch(batch: LineBatch, state: SourceState, counts: Counts, take: (record: StepRecordLine) => void): void {
  if (batch.dropped > state.dropped) {
    counts.lines += batch.dropped - state.dropped;
    counts.skipped.malformed = (counts.skipped.malformed ?? 0) + batch.dropped - state.dropped;
    state.dropped = batch.dropped;
  }
  for (const text of batch.lines) {
    if (text.length === 0 || text === "\r") continue;
    counts.lines++;
    const parsed = parseLine(text);
    if (typeof parsed === "string") {
      counts.skipped[parsed] = (counts.skipped[parsed] ?? 0) + 1;
      continue;
    }
    // A record without a time (pino's timestamp: false) is taken as written just after the previous one.
    if (parsed.time !== undefined) state.last = parsed.time;
    parsed.at = state.last;
    take(parsed);
  }
}

/** The records of one source, a batch per chunk read (for merging several sources). */
async function* sourceRecords(file: string, cwd: string, stdin: NodeJS.ReadableStream, counts: Counts): AsyncGenerator<StepRecordLine[]> {
  const state: SourceState = { last: 0, dropped: 0 };
  for await (const batch of logLineBatches(file, cwd, stdin)) {
    const records: StepRecordLine[] = [];
    parseBatch(batch, state, counts, (record) => records.push(record));
    if (records.length > 0) yield records;
  }
}

interface Source {
  readonly batches: AsyncGenerator<StepRecordLine[]>;
  batch: StepRecordLine[];
  index: number;
  done: boolean;
}

async function refill(source: Source): Promise<void> {
  while (!source.done && source.index >= source.batch.length) {
    const next = await source.batches.next();
    if (next.done === true) source.done = true;
    else {
      source.batch = next.value;
      source.index = 0;
    }
  }
}

/** Hands every record of `sources` to `take`, merged by log time (ties: the earlier file first), each source read as needed. */
async function mergeRecords(files: readonly string[], cwd: string, stdin: NodeJS.ReadableStream, counts: Counts, take: (record: StepRecordLine) => void): Promise<void> {
  // One source: each record is taken as its line is parsed, so that none outlives its line.
  if (files.length === 1) {
    const state: SourceState = { last: 0, dropped: 0 };
    for await (const batch of logLineBatches(files[0]!, cwd, stdin)) parseBatch(batch, state, counts, take);
    return;
  }
  const sources = files.map((file): Source => ({ batches: sourceRecords(file, cwd, stdin, counts), batch: [], index: 0, done: false }));
  await Promise.all(sources.map(refill));
  for (;;) {
    let pick: Source | undefined;
    for (const source of sources) {
      if (!source.done && (pick === undefined || source.batch[source.index]!.at < pick.batch[pick.index]!.at)) pick = source;
    }
    if (pick === undefined) return;
    take(pick.batch[pick.index++]!);
    if (pick.index >= pick.batch.length) await refill(pick);
  }
}

/**
 * Reads penstock's `step.start`/`step.end` records from `files` ("-" for stdin; gzip read
 * transparently), skipping and counting every other line, and rebuilds the flow calls. The
 * records are replayed into this process's observations (cleared first), so flowStats,
 * diffDag and generateDag({ stats: true }) on the returned `registry` answer for the logs.
 * Throws a PenstockError naming a file that is missing or cannot be read.
 *
 * @example
 * const summary = await readLogs(["web.log", "worker.log.gz"], { slowest: 5 });
 * summary.stats.get("orders")?.steps[0]?.durationMs.p95
 */
export async function readLogs(files: readonly string[], options: LogReadOptions = {}): Promise<LogSummary> {
  const { windowMs = DEFAULT_WINDOW_MS, slowest: keepSlowest = 10, findId, registry: declared = getRegistry(), cwd = process.cwd(), stdin = process.stdin } = options;
  checkLogFiles(files, cwd);
  clearRecords();
  // The declared steps get their records (and `after` links) before any call is replayed.
  for (const name of declared.flowNames()) for (const info of Object.values(declared.flow(name).steps)) observationsOf(info);

  const slowest: { trace: FlowCallTrace; durationMs: number }[] = [];
  const failed: FlowCallTrace[] = [];
  const unfinished: FlowCallTrace[] = [];
  let failedTotal = 0;
  let unfinishedTotal = 0;
  let flowCalls = 0;
  const near = findId === undefined ? undefined : closestIds(findId, 5);
  const records = new ReplayRecords();
  const assembler = callAssembler(records, windowMs, {
    finished(trace, durationMs, isFailed) {
      flowCalls++;
      if (isFailed) {
        failedTotal++;
        if (failed.length < MAX_LISTED) failed.push(trace());
      }
      if (keepSlowest > 0 && (slowest.length < keepSlowest || durationMs > slowest[slowest.length - 1]!.durationMs)) {
        slowest.push({ trace: trace(), durationMs });
        slowest.sort((a, b) => b.durationMs - a.durationMs);
        if (slowest.length > keepSlowest) slowest.pop();
      }
    },
    unfinished(trace) {
      flowCalls++;
      unfinishedTotal++;
      if (unfinished.length < MAX_LISTED) unfinished.push(trace());
    },
    began(correlationId) {
      near?.offer(correlationId);
    },
  });
  // --id: that flow call's records go to an assembler of their own that holds it to the end.
  // An ID of 8 characters or more also finds the one flow call it begins (as a short commit hash does).
  const matches = new Set<string>();
  const byPrefix = findId !== undefined && findId.length >= MIN_PREFIX;
  const traces: FlowCallTrace[] = [];
  const keep = (trace: () => FlowCallTrace): void => {
    traces.push(trace());
  };
  const wanted = findId === undefined ? undefined : callAssembler(undefined, Infinity, { finished: keep, unfinished: keep, began: () => undefined }, { hold: true });
  const isWanted = (id: string): boolean => {
    if (id === findId) return true;
    if (!byPrefix || !id.startsWith(findId!)) return false;
    if (matches.has(id)) return true;
    // Enough to say the prefix is ambiguous; more would only cost memory.
    if (matches.size >= MAX_PREFIX_MATCHES) return false;
    matches.add(id);
    return true;
  };

  const counts: Counts = { lines: 0, skipped: {} };
  let used = 0;
  let firstTime: number | undefined;
  let lastTime: number | undefined;
  await mergeRecords(files, cwd, stdin, counts, (line) => {
    used++;
    if (line.time !== undefined) {
      if (firstTime === undefined || line.time < firstTime) firstTime = line.time;
      if (lastTime === undefined || line.time > lastTime) lastTime = line.time;
    }
    assembler.add(line, line.at);
    if (wanted !== undefined && isWanted(line.correlationId)) wanted.add(line, line.at);
  });
  assembler.finish();
  wanted?.finish();
  const found = traces.find((trace) => trace.correlationId === findId) ?? (traces.length === 1 ? traces[0] : undefined);

  // Figures start where the logs do.
  if (firstTime !== undefined) observations.since = firstTime;
  const edges = assembler.edges();
  const logFlows = [...records.flows()];
  const declaredNames = new Set(declared.flowNames());
  const logOnlyFlows = logFlows.filter((flow) => !declaredNames.has(flow)).sort();
  const registry = registryWithLogFlows(declared, logOnlyFlows, (flow) => edges.get(flow) ?? []);
  const stats = new Map<string, FlowStats>();
  for (const flow of registry.flowNames()) stats.set(flow, flowStats(flow, registry));
  const drift = new Map<string, DagDiff>();
  for (const flow of declared.flowNames()) drift.set(flow, graphDiff(flowGraph(declared.flow(flow))));
  return {
    lines: counts.lines,
    records: used,
    skipped: counts.skipped,
    firstTime,
    lastTime,
    flowCalls,
    stats,
    edges,
    drift,
    logOnlyFlows,
    registry,
    slowest: slowest.map(({ trace }) => trace),
    failed,
    failedTotal,
    unfinished,
    unfinishedTotal,
    ...(found !== undefined ? { trace: found } : {}),
    ...(findId !== undefined && found === undefined ? { closestIds: near!.best() } : {}),
  };
}
