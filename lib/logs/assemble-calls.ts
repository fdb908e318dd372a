// Flow calls rebuilt from records in log-time order: grouped by correlation ID, each step call
// placed under its parent by span_id/parent_span_id. A flow call is held only while a step of
// it is open, or until the window (in log time) passes; then it is handed on as a trace.
import type { Frame } from "../context/frame";
import type { StepRecord } from "../observations/records";
import type { StepRecordLine } from "./parse-record";
import { baseFrame, replayBegin, replayEnd, type ReplayRecords } from "./replay";
import type { FlowCallTrace, TraceOutcome, TraceStep } from "./trace";

/** One step call of a flow call being assembled. */
interface OpenStep {
  readonly record: StepRecord | undefined;
  readonly frame: Frame;
  readonly flow: string;
  readonly step: string;
  readonly kind: "entrypoint" | "step";
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly parent: OpenStep | undefined;
  readonly depth: number;
  readonly startedAt: number;
  durationMs: number | undefined;
  /** Log time of its step.end. */
  endedAt: number | undefined;
  outcome: TraceOutcome;
  error: string | undefined;
  /** The last of its children to end: the predecessor the next child is drawn after. */
  lastEnded: OpenStep | undefined;
}

/** A flow call being assembled. */
interface Assembly {
  readonly correlationId: string;
  readonly base: Frame;
  readonly spans: Map<string, OpenStep>;
  readonly steps: OpenStep[];
  readonly startedAt: number;
  open: number;
  failed: boolean;
}

/** An edge seen in the logs: each step call after its previous finished sibling ("order"), or else its caller ("call"). */
export interface LogEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: "order" | "call";
  readonly count: number;
  readonly example?: string;
}

/** What is done with each flow call once it is complete or given up on. */
export interface AssemblyHandlers {
  finished(trace: () => FlowCallTrace, durationMs: number, failed: boolean): void;
  unfinished(trace: () => FlowCallTrace): void;
  /** A flow call began (for the closest IDs of --id). */
  began(correlationId: string): void;
}

/**
 * Where a step call began on its flow call's time line. An ended call began its logged duration
 * before its step.end: durations are measured from after step.start was written, and the
 * clock of `time` counts whole milliseconds. Never before its parent.
 */
const beganAt = (step: OpenStep): number => (step.endedAt === undefined ? step.startedAt : step.endedAt - step.durationMs!);

function offsetOf(step: OpenStep, origin: number): number {
  const began = beganAt(step);
  const floor = step.parent === undefined ? 0 : offsetOf(step.parent, origin);
  return Math.max(floor, Math.round((began - origin) * 100) / 100);
}

function traceOf(assembly: Assembly): FlowCallTrace {
  // Depth-first in start order: children listed under their parent as they began.
  const children = new Map<OpenStep | undefined, OpenStep[]>();
  for (const step of assembly.steps) {
    const parent = step.parent;
    let list = children.get(parent);
    if (list === undefined) children.set(parent, (list = []));
    list.push(step);
  }
  const ordered: TraceStep[] = [];
  // The roots set the origin: a child's rounded start may fall before its parent's, and is then moved to it.
  const origin = Math.min(...(children.get(undefined) ?? assembly.steps).map(beganAt));
  const visit = (step: OpenStep): void => {
    ordered.push({
      step: step.step,
      flow: step.flow,
      kind: step.kind,
      spanId: step.spanId,
      parentSpanId: step.parentSpanId,
      depth: step.depth,
      offsetMs: offsetOf(step, origin),
      durationMs: step.durationMs,
      outcome: step.outcome,
      error: step.error,
    });
    for (const child of children.get(step) ?? []) visit(child);
  };
  for (const root of children.get(undefined) ?? []) visit(root);
  const root = assembly.steps[0]!;
  return {
    correlationId: assembly.correlationId,
    flow: root.flow,
    entrypoint: root.step,
    startedAt: origin,
    durationMs: root.durationMs,
    outcome: root.outcome,
    steps: ordered,
  };
}

/**
 * Assembles flow calls from records handed to {@link add} in log-time order, replaying each
 * into `records` (the observations). `windowMs` of log time after a flow call began, it is
 * given up on: handed over as unfinished, its open steps never counted.
 */
export function callAssembler(records: ReplayRecords | undefined, windowMs: number, handlers: AssemblyHandlers, options: { hold?: boolean } = {}) {
  // `hold`: keep every flow call to the end (one ID's records, joined across files for --id).
  const hold = options.hold === true;
  const assemblies = new Map<string, Assembly>();
  const edges = new Map<string, Map<string, Map<string, { from: string; to: string; kind: "order" | "call"; count: number; example: string }>>>();
  let latest = -Infinity;
  let sinceSweep = 0;

  // By flow, kind, from and to: nested maps, so that a seen edge costs lookups, not a key string.
  let edgeCount = 0;
  function noteEdge(flow: string, from: string, to: string, kind: "order" | "call", correlationId: string): void {
    let byKind = edges.get(flow);
    if (byKind === undefined) edges.set(flow, (byKind = new Map()));
    const key = kind === "order" ? from : `\u0000${from}`;
    let byTo = byKind.get(key);
    if (byTo === undefined) byKind.set(key, (byTo = new Map()));
    const edge = byTo.get(to);
    if (edge !== undefined) edge.count++;
    // Bounded as the observations' call edges are (lib/observations/call-edges.ts).
    else if (edgeCount < 100_000) {
      edgeCount++;
      byTo.set(to, { from, to, kind, count: 1, example: correlationId });
    }
  }

  function assemblyOf(line: StepRecordLine, time: number): Assembly {
    let assembly = assemblies.get(line.correlationId);
    if (assembly === undefined) {
      // A first step that is no entrypoint, or whose parent is not in the logs (a span of
      // another service), continues a flow call begun elsewhere: its first steps are not judged unpreceded.
      const continued = line.kind === "step" || line.parentSpanId !== undefined;
      assembly = { correlationId: line.correlationId, base: baseFrame(line.correlationId, continued), spans: new Map(), steps: [], startedAt: time, open: 0, failed: false };
      assemblies.set(line.correlationId, assembly);
      handlers.began(line.correlationId);
    }
    return assembly;
  }

  function begin(assembly: Assembly, line: StepRecordLine, time: number): OpenStep {
    const parent = line.parentSpanId === undefined ? undefined : assembly.spans.get(line.parentSpanId);
    const record = records?.stepOf(line.flow, line.step, line.kind);
    const frame = record === undefined ? assembly.base : replayBegin(record, parent?.frame ?? assembly.base, line.correlationId, line.spanId);
    if (parent !== undefined) {
      // The predecessor a drawing from the logs gives this call: its previous finished sibling of the same flow, else its caller.
      const previous = parent.lastEnded;
      if (previous !== undefined && previous.flow === line.flow) noteEdge(line.flow, previous.step, line.step, "order", line.correlationId);
      else if (parent.flow === line.flow) noteEdge(line.flow, parent.step, line.step, "call", line.correlationId);
    }
    const open: OpenStep = {
      record,
      frame,
      flow: line.flow,
      step: line.step,
      kind: line.kind,
      spanId: line.spanId,
      parentSpanId: line.parentSpanId,
      parent,
      depth: parent === undefined ? 0 : parent.depth + 1,
      startedAt: time,
      durationMs: undefined,
      endedAt: undefined,
      outcome: "unfinished",
      error: undefined,
      lastEnded: undefined,
    };
    assembly.spans.set(line.spanId, open);
    assembly.steps.push(open);
    assembly.open++;
    return open;
  }

  function complete(assembly: Assembly): void {
    assemblies.delete(assembly.correlationId);
    const root = assembly.steps[0]!;
    const duration = root.durationMs ?? 0;
    const failed = assembly.failed;
    // Built once, and only when a handler keeps it (the slowest, the failed).
    let built: FlowCallTrace | undefined;
    handlers.finished(() => (built ??= traceOf(assembly)), duration, failed);
  }

  function end(assembly: Assembly, line: StepRecordLine, time: number): void {
    let open = assembly.spans.get(line.spanId);
    // No step.start seen (a level that drops it, a rotated file): the call began `duration` before its end.
    if (open === undefined) open = begin(assembly, line, time - line.durationMs!);
    else if (open.outcome !== "unfinished") return;
    open.durationMs = line.durationMs;
    open.endedAt = time;
    open.outcome = line.outcome!;
    open.error = line.error;
    if (line.outcome === "error") assembly.failed = true;
    if (open.record !== undefined) replayEnd(open.record, open.frame, line.durationMs!, line.outcome!);
    if (open.parent !== undefined) open.parent.lastEnded = open;
    if (--assembly.open === 0 && !hold) complete(assembly);
  }

  /** Hands over every flow call begun before `horizon` (log time) as unfinished. */
  function sweep(horizon: number): void {
    for (const assembly of assemblies.values()) {
      if (assembly.startedAt >= horizon) break;
      if (assembly.open === 0) complete(assembly);
      else {
        assemblies.delete(assembly.correlationId);
        handlers.unfinished(() => traceOf(assembly));
      }
    }
  }

  return {
    /** Takes one record; `time` is its log time (the previous record's when it has none). */
    add(line: StepRecordLine, time: number): void {
      const assembly = assemblyOf(line, line.event === "end" ? time - line.durationMs! : time);
      if (line.event === "start") {
        if (!assembly.spans.has(line.spanId)) begin(assembly, line, time);
      } else {
        end(assembly, line, time);
      }
      if (time > latest) latest = time;
      // Flow calls are in the map in the order they began: the sweep stops at the first one inside the window.
      if (++sinceSweep >= 1024 && !hold) {
        sinceSweep = 0;
        sweep(latest - windowMs);
      }
    },
    /** The end of the logs: whatever is still open is unfinished. */
    finish(): void {
      sweep(Infinity);
    },
    /** Per flow, the edges seen, sorted by (from, to). */
    edges(): Map<string, LogEdge[]> {
      const byFlow = new Map<string, LogEdge[]>();
      for (const [flow, flowEdges] of edges) {
        const list = [...flowEdges.values()].flatMap((byTo) => [...byTo.values()].map(({ from, to, kind, count, example }) => ({ from, to, kind, count, example })));
        list.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : a.kind < b.kind ? -1 : 1));
        byFlow.set(flow, list);
      }
      return byFlow;
    },
  };
}
