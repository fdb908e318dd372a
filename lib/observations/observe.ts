// What the wrapper calls (lib/call/wrapper.ts), once as a call begins and once as it ends:
// the call edge, the order check and the statistics, so the call path itself changes by a
// few lines. Everything here is skipped under configure({ observe: false }).
import type { Frame } from "../context/frame";
import { isNativePromise } from "../internal/thenable";
import { observeCaller } from "./call-edges";
import { orderBegan, orderEnded, type FlowCall } from "./conformance";
import type { StepRecord } from "./records";
import { statsBegan, statsEnded } from "./step-stats";

/** A call of `step` begins in `frame`; returns what {@link callEnded} needs back (its start). */
export function callBegan(step: StepRecord, parent: Frame | undefined, frame: Frame): number {
  if (parent !== undefined) observeCaller(step, parent);
  orderBegan(step, parent, frame);
  return statsBegan(step);
}

function ended(step: StepRecord, call: FlowCall, started: number, failed: boolean): void {
  orderEnded(step, call);
  statsEnded(step, started, failed);
}

/**
 * The call of `step` in `frame` ended with `outcome` (what the caller gets) or threw. A native
 * promise ends when it settles: its handlers never throw, so the promise `.then` derives
 * always fulfils. Another thenable is taken as ended now, since asking it could have effects.
 */
export function callEnded(step: StepRecord, frame: Frame, started: number, outcome: unknown, threw: boolean): void {
  if (!threw && isNativePromise(outcome)) settled(outcome, step, frame.flowCall!, started);
  else ended(step, frame.flowCall!, started, threw);
}

// A function of its own: closures made in callEnded would cost every call their context.
function settled(promise: Promise<unknown>, step: StepRecord, call: FlowCall, started: number): void {
  promise.then(
    () => ended(step, call, started, false),
    () => ended(step, call, started, true),
  );
}
