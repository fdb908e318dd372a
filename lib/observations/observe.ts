// What the wrapper calls (lib/call/wrapper.ts), once as a call begins and once as it ends:
// the call edge, the order check and the statistics, so the call path itself changes by a
// few lines. Everything here is skipped under configure({ observe: false }).
import type { Frame } from "../context/frame";
import { frames } from "../context/frame-store";
import { isNativePromise } from "../internal/thenable";
import { observeCaller } from "./call-edges";
import { orderBegan, orderEnded, type FlowCall } from "./conformance";
import type { StepRecord } from "./records";
import { statsBegan, statsEnded, UNTIMED } from "./step-stats";

/** A call of `step` begins in `frame`; returns what {@link callEnded} needs back (its start). */
export function callBegan(step: StepRecord, parent: Frame | undefined, frame: Frame): number {
  if (parent !== undefined) observeCaller(step, parent);
  orderBegan(step, parent, frame);
  return (frame.started = statsBegan(step));
}

function ended(step: StepRecord, call: FlowCall, started: number, failed: boolean): void {
  orderEnded(step, call);
  statsEnded(step, started, failed);
}

/**
 * The call of `step` in `frame` ended with `outcome` (what the caller gets) or threw. A native
 * promise ends when it settles. Another thenable is taken as ended now, since asking it could
 * have effects.
 */
export function callEnded(step: StepRecord, frame: Frame, started: number, outcome: unknown, threw: boolean): void {
  if (!threw && isNativePromise(outcome)) settled(outcome, step, frame);
  else ended(step, frame.flowCall!, started, threw);
}

/**
 * Watches a promise with the step's two shared handlers, no closure per call: `.then` is called
 * with the call's frame current, so the reaction runs with it current (the frame store carries
 * it to the derived promise) and finds its flow call and start there. The handlers never throw,
 * so the promise `.then` derives always fulfils.
 */
function settled(promise: Promise<unknown>, step: StepRecord, frame: Frame): void {
  const outer = frames.enter(frame);
  try {
    promise.then((step.whenFulfilled ??= settler(step, false)), (step.whenRejected ??= settler(step, true)));
  } finally {
    frames.exit(outer);
  }
}

function settler(step: StepRecord, failed: boolean): () => void {
  return () => {
    const frame = frames.getStore();
    if (frame?.flowCall !== undefined) ended(step, frame.flowCall, frame.started ?? UNTIMED, failed);
  };
}
