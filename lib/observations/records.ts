// What penstock observes of running flows, per flow and per step, in one shared member of the
// global slot (`observations@4`). Each wrapper is handed its step's record at wrap time, so the
// call path never looks anything up; records are cleared in place, never replaced.
import { globalSingleton } from "../internal/global";
import { isFlowOverLimit } from "../registry/registry";
import type { Histogram } from "./histogram";
import type { StepInfo } from "../types";

/** Calls of one step made from one caller of its flow: behind `undeclared`. */
export interface CallerEdge {
  readonly caller: string;
  count: number;
  /** The correlation ID of the flow call of the first such call since the last clear. */
  example: string | undefined;
}

/** One step of one flow, as seen at run time. Shared by every wrapper of that flow and name. */
export interface StepRecord {
  readonly flow: FlowRecord;
  /** `flow.name`, one load nearer for the call path. */
  readonly flowName: string;
  readonly name: string;
  /** Its place in the flow's bit sets (lib/observations/conformance.ts). */
  readonly index: number;
  /** The bit of `index` in a 32-bit mask; 0 from the 33rd step of a flow on. */
  readonly bit: number;
  /** Whether a wrapper was made for it (a name only listed in some `after` is not). */
  wrapped: boolean;
  kind: StepInfo["kind"];

  // Call edges (undeclared): every caller seen, and the caller of the last call.
  readonly callers: Map<string, CallerEdge>;
  lastCaller: string | undefined;
  /** The caller's own record (its frame's `record`): the same caller as last time is one identity comparison. */
  lastCallerRecord: StepRecord | undefined;
  lastEdge: CallerEdge | undefined;

  // Order (conformance): the declared predecessors and successors, with what was seen of each.
  readonly preds: StepRecord[];
  /** Calls of this step that began after preds[i] had run in the same flow call. */
  readonly predRan: number[];
  /** The bits of `preds` (the first 32 steps), and whether any pred has no bit. */
  predMask: number;
  predWide: boolean;
  readonly succs: StepRecord[];
  /** Calls of this step that began after succs[i] had run in the same flow call. */
  readonly succRan: number[];
  readonly succExample: (string | undefined)[];
  succMask: number;
  succWide: boolean;
  unpreceded: number;
  unprecededExample: string | undefined;

  // Statistics.
  calls: number;
  errors: number;
  /** Failed calls whose error was expected (the `expected` option): not in `errors`. */
  expected: number;
  /** Made on the first timed call: steps that never run cost no histogram. */
  histogram: Histogram | undefined;
  /** One call in `stride` is timed (lib/observations/step-stats.ts); `countdown` to the next. */
  stride: number;
  countdown: number;
  /** Calls from the last timed call's start to the next's: `countdown` was set to it. */
  period: number;
  /** When the last timed call began (ms; -Infinity before the first), and the mean time between the starts of the calls up to it. */
  timedAt: number;
  spacing: number;
  /** The handlers that watch this step's promises, made on its first async call (lib/observations/observe.ts). */
  whenFulfilled: (() => void) | undefined;
  whenRejected: (() => void) | undefined;
}

/** One flow, as seen at run time. */
export interface FlowRecord {
  readonly name: string;
  readonly steps: Map<string, StepRecord>;
  /** By index. */
  readonly byIndex: StepRecord[];
  /** Distinct caller edges stored (bounded by MAX_OBSERVED_EDGES), and whether the bound was hit. */
  edges: number;
  full: boolean;
  /** Flow calls in which a step of this flow ran. */
  flowCalls: number;
}

interface ObservationState {
  readonly flows: Map<string, FlowRecord>;
  /** When observation started, or was last cleared (ms since the epoch). */
  since: number;
}

/** What has been seen of every flow, shared by every copy of penstock. */
export const observations: ObservationState = globalSingleton("observations@4", () => ({ flows: new Map(), since: Date.now() }));

export function flowRecord(flow: string): FlowRecord {
  let record = observations.flows.get(flow);
  if (record === undefined) {
    record = newFlowRecord(flow);
    observations.flows.set(flow, record);
  }
  return record;
}

function newFlowRecord(flow: string): FlowRecord {
  return { name: flow, steps: new Map(), byIndex: [], edges: 0, full: false, flowCalls: 0 };
}

function stepRecord(flow: FlowRecord, name: string): StepRecord {
  let step = flow.steps.get(name);
  if (step !== undefined) return step;
  const index = flow.byIndex.length;
  step = {
    flow,
    flowName: flow.name,
    name,
    index,
    bit: index < 32 ? 1 << index : 0,
    wrapped: false,
    kind: "step",
    callers: new Map(),
    lastCaller: undefined,
    lastCallerRecord: undefined,
    lastEdge: undefined,
    preds: [],
    predRan: [],
    predMask: 0,
    predWide: false,
    succs: [],
    succRan: [],
    succExample: [],
    succMask: 0,
    succWide: false,
    unpreceded: 0,
    unprecededExample: undefined,
    calls: 0,
    errors: 0,
    expected: 0,
    histogram: undefined,
    stride: 1,
    countdown: 1,
    period: 1,
    timedAt: -Infinity,
    spacing: Infinity,
    whenFulfilled: undefined,
    whenRejected: undefined,
  };
  flow.steps.set(name, step);
  flow.byIndex.push(step);
  return step;
}

/**
 * The record a wrapper of `info` writes to; looked up once, at wrap time. Its declared
 * predecessors get records too (they may be wrapped later), linked both ways.
 */
export function observationsOf(info: StepInfo): StepRecord {
  // A flow past the registry's bounds (names made per call) gets a record of its own, kept by the wrapper alone.
  const flow = isFlowOverLimit(info.flow) ? newFlowRecord(info.flow) : flowRecord(info.flow);
  const step = stepRecord(flow, info.name);
  const after = new Set(info.after);
  // The same step wrapped again (a module loaded twice) keeps its links; a new registration of
  // the name after the registry was cleared replaces them.
  if (step.wrapped && step.preds.length === after.size && step.preds.every((pred) => after.has(pred.name))) return step;
  if (step.wrapped) unlink(step);
  step.wrapped = true;
  step.kind = info.kind;
  for (const name of after) {
    const pred = stepRecord(flow, name);
    step.preds.push(pred);
    step.predRan.push(0);
    step.predMask |= pred.bit;
    if (pred.bit === 0) step.predWide = true;
    pred.succs.push(step);
    pred.succRan.push(0);
    pred.succExample.push(undefined);
    pred.succMask |= step.bit;
    if (step.bit === 0) pred.succWide = true;
  }
  return step;
}

function unlink(step: StepRecord): void {
  for (const pred of step.preds) {
    const at = pred.succs.indexOf(step);
    pred.succs.splice(at, 1);
    pred.succRan.splice(at, 1);
    pred.succExample.splice(at, 1);
    pred.succMask = pred.succs.reduce((mask, succ) => mask | succ.bit, 0);
    pred.succWide = pred.succs.some((succ) => succ.bit === 0);
  }
  step.preds.length = 0;
  step.predRan.length = 0;
  step.predMask = 0;
  step.predWide = false;
}

/** Forgets every count, keeping the records (wrappers hold them) and the declared links. */
export function clearRecords(): void {
  observations.since = Date.now();
  for (const flow of observations.flows.values()) {
    flow.edges = 0;
    flow.full = false;
    flow.flowCalls = 0;
    for (const step of flow.byIndex) {
      step.callers.clear();
      step.lastCaller = undefined;
      step.lastCallerRecord = undefined;
      step.lastEdge = undefined;
      step.predRan.fill(0);
      step.succRan.fill(0);
      step.succExample.fill(undefined);
      step.unpreceded = 0;
      step.unprecededExample = undefined;
      step.calls = 0;
      step.errors = 0;
      step.expected = 0;
      step.histogram = undefined;
      step.stride = 1;
      step.countdown = 1;
      step.period = 1;
      step.timedAt = -Infinity;
      step.spacing = Infinity;
    }
  }
}
