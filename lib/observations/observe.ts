// What the wrapper calls (lib/call/wrapper.ts), once as a call begins and once as it ends: the
// call edge (call-edges.ts), the order checks (conformance.ts) and the statistics
// (step-stats.ts). Their common cases are written out here, in two functions, so that a call
// pays two function calls for all of it; the rarer paths stay in their modules.
import { CALL_ENDED, callOpen, type Frame } from "../context/frame";
import { frames } from "../context/frame-store";
import { isExpectedErrorOf } from "../call/expected";
import { isNativePromise } from "../internal/thenable";
import { observeCaller } from "./call-edges";
import { orderChecked, otherFlowCall, wideEnded, type FlowCall } from "./conformance";
import type { StepRecord } from "./records";
import { timedCallBegan, timedCallEnded, UNTIMED } from "./step-stats";

const ENDED = CALL_ENDED;

/**
 * Set by a built-in backend that watches the call's own native promise and reports its end
 * ({@link backendWatches}, {@link backendSettled}); read and cleared by the call's callEnded,
 * which then attaches no reaction of its own. Calls nest synchronously, so the flag a backend
 * sets just before its span returns is the one its own call reads.
 */
let watchedByBackend = false;

/** A call of `step` begins in `frame`, a child of `parent`. */
export function callBegan(step: StepRecord, parent: Frame | undefined, frame: Frame): void {
  watchedByBackend = false;
  // The call edge: from the same caller as last time (its record, not its two names: comparing
  // strings costs a builtin call each), one comparison and a count.
  if (parent !== undefined) {
    const edge = step.lastEdge;
    const caller = parent.record;
    if (edge !== undefined && caller === step.lastCallerRecord && caller !== undefined) edge.count++;
    else observeCaller(step, parent);
  }
  // Order: the flow call's record is the caller's when the caller is of this flow.
  const head = parent?.flowCall;
  const call = head !== undefined && head.flow === step.flow ? head : otherFlowCall(step.flow, parent, head);
  // The chain of callers counts only within one flow's record (a caller of another flow breaks it).
  const ancestors = head === call ? (parent!.chain ?? 0) : 0;
  frame.flowCall = call;
  frame.chain = ancestors | step.bit;
  const ran = call.finished | ancestors;
  // The common case written out: one declared predecessor, which ran, and no successor that did.
  const preds = step.preds;
  if (preds.length === 1 && (ran & preds[0]!.bit) !== 0 && (ran & step.succMask) === 0 && !step.succWide) step.predRan[0]!++;
  else if (preds.length > 0 || (ran & step.succMask) !== 0 || step.succWide) orderChecked(step, call, ran, frame);
  // Statistics: one call in `stride` is timed (step-stats.ts).
  frame.started = --step.countdown > 0 ? UNTIMED : timedCallBegan(step);
}

function ended(step: StepRecord, call: FlowCall, started: number, failed: boolean, error?: unknown): void {
  if (step.bit !== 0) call.finished |= step.bit;
  else wideEnded(step, call);
  step.calls++;
  // An expected error (the step's `expected` option, configure({ expected })) is counted apart.
  if (failed) {
    if (isExpectedErrorOf(step.flowName, step.name, error)) step.expected++;
    else step.errors++;
  }
  if (started !== UNTIMED) timedCallEnded(step, started);
}

/**
 * The call of `step` in `frame` returned `outcome` (what the caller gets), with the call's frame
 * still current. A native promise ends when it settles. Another thenable is taken as ended now,
 * since asking it could have effects.
 */
export function callEnded(step: StepRecord, frame: Frame, outcome: unknown): void {
  const watched = watchedByBackend;
  watchedByBackend = false;
  if (isNativePromise(outcome)) {
    if (!watched) settled(outcome, step);
    return;
  }
  ended(step, frame.flowCall!, frame.started!, false);
  frame.started = ENDED;
}

/** The call of `step` in `frame` threw. */
export function callThrew(step: StepRecord, frame: Frame, error: unknown): void {
  watchedByBackend = false;
  if (!callOpen(frame.started)) return;
  ended(step, frame.flowCall!, frame.started!, true, error);
  frame.started = ENDED;
}

/**
 * For the built-in backends (lib/backends/logging.ts, settleInPlace): the backend attached its
 * own handlers to the call's native promise and will call {@link backendSettled} from them.
 */
export function backendWatches(): void {
  watchedByBackend = true;
}

/**
 * From a built-in backend's reaction to the call's promise: the call ended. The reaction runs
 * with the call's frame current (it was when the backend attached it, inside span()).
 */
export function backendSettled(failed: boolean, error?: unknown): void {
  const frame = frames.getStore();
  const call = frame?.flowCall;
  if (call === undefined || !callOpen(frame!.started) || frame!.step === undefined) return;
  // The frame's own record; a frame made by an older copy of penstock has none.
  const step = frame!.record ?? call.flow.steps.get(frame!.step);
  if (step === undefined) return;
  ended(step, call, frame!.started!, failed, error);
  frame!.started = ENDED;
}

/**
 * Watches a promise with the step's two shared handlers, no closure per call: `.then` is called
 * with the call's frame current (callEnded runs before the wrapper leaves it), so the reaction
 * runs with it current (the frame store carries it to the derived promise) and finds its flow
 * call and start there; no frame is entered for it. The handlers never throw, so the promise
 * `.then` derives always fulfils.
 */
function settled(promise: Promise<unknown>, step: StepRecord): void {
  promise.then((step.whenFulfilled ??= settler(step, false)), (step.whenRejected ??= settler(step, true)));
}

function settler(step: StepRecord, failed: boolean): (reason?: unknown) => void {
  return (reason?: unknown) => {
    const frame = frames.getStore();
    if (frame?.flowCall !== undefined && callOpen(frame.started)) {
      ended(step, frame.flowCall, frame.started!, failed, reason);
      frame.started = ENDED;
    }
  };
}
