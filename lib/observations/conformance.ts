// Order conformance: within one flow call, which steps ran before which, checked against the
// declared `after` edges as each call begins. X ran before Y when a call of X finished before a
// call of Y began, or X is on Y's chain of wrapped callers. One small record per flow call
// (per flow it runs) holds the bits of the steps that finished; nothing outlives the flow call.
import { CONTINUED_HERE, type Frame } from "../context/frame";
import type { FlowRecord, StepRecord } from "./records";

/**
 * The order record of one flow call for one flow, hung off its frames. The records of the
 * flows one flow call runs form a ring through `next`.
 */
export interface FlowCall {
  readonly flow: FlowRecord;
  /** Bits of the steps (index < 32) with a finished call in this flow call. */
  finished: number;
  /** The same for steps of index 32 and up, made when one finishes. */
  wide: Set<number> | undefined;
  next: FlowCall;
  /**
   * Continued from another process (runInFlow with an inbound ID): the steps that run first
   * here may follow steps that ran there, so they are not reported unpreceded.
   */
  readonly continued: boolean;
}

/**
 * The record of `flow` in the flow call of `parent` when the caller's (`head`) is another
 * flow's or there is none: found in the ring, or made (and counted).
 */
export function otherFlowCall(flow: FlowRecord, parent: Frame | undefined, head: FlowCall | undefined): FlowCall {
  if (head !== undefined) {
    let call = head;
    do {
      if (call.flow === flow) return call;
      call = call.next;
    } while (call !== head);
  }
  const continued = head === undefined && parent?.started === CONTINUED_HERE;
  const call = { flow, finished: 0, wide: undefined, next: undefined, continued } as unknown as FlowCall;
  flow.flowCalls++;
  if (head !== undefined) {
    call.next = head.next;
    head.next = call;
  } else {
    call.next = call;
    // A runInFlow frame (or one made while observation was off): its other calls share it.
    if (parent !== undefined) parent.flowCall = call;
  }
  return call;
}

function ranWide(call: FlowCall, step: StepRecord): boolean {
  return call.wide !== undefined && call.wide.has(step.index);
}

/**
 * The order checks of a call of `step` beginning in flow call `call`, where `ran` holds the
 * bits of the steps that ran before it (finished, or on its chain of callers).
 */
export function orderChecked(step: StepRecord, call: FlowCall, ran: number, frame: Frame): void {
  const preds = step.preds;
  if (preds.length > 0) {
    let any = false;
    if ((ran & step.predMask) !== 0 || step.predWide) {
      for (let i = 0; i < preds.length; i++) {
        const pred = preds[i]!;
        if (pred.bit !== 0 ? (ran & pred.bit) !== 0 : ranWide(call, pred)) {
          step.predRan[i]!++;
          any = true;
        }
      }
    }
    // In a flow call continued from elsewhere, a step that runs before any other here is not judged.
    if (!any && !(call.continued && ran === 0 && call.wide === undefined)) {
      step.unpreceded++;
      step.unprecededExample ??= frame.correlationId;
    }
  }
  // A declared successor that already ran: this call is out of order.
  if ((ran & step.succMask) !== 0 || (step.succWide && call.wide !== undefined)) {
    const succs = step.succs;
    for (let i = 0; i < succs.length; i++) {
      const succ = succs[i]!;
      if (succ.bit !== 0 ? (ran & succ.bit) !== 0 : ranWide(call, succ)) {
        step.succRan[i]!++;
        step.succExample[i] ??= frame.correlationId;
      }
    }
  }
}

/** A call of a step of index 32 or more finished in flow call `call` (the others set a bit). */
export function wideEnded(step: StepRecord, call: FlowCall): void {
  (call.wide ??= new Set()).add(step.index);
}
