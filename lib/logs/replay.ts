// The records of the logs replayed into this process's observations, through the functions the
// wrapper itself calls (lib/observations/observe.ts, conformance.ts, histogram.ts): a step.start
// is a call beginning, a step.end the call ending with its logged duration. flowStats and
// diffDag then answer for the logs with the very logic they use for live calls.
import { CALL_ENDED, CONTINUED_HERE, type Frame } from "../context/frame";
import { callBegan } from "../observations/observe";
import { wideEnded } from "../observations/conformance";
import { createHistogram, recordDuration } from "../observations/histogram";
import { observations, observationsOf, type StepRecord } from "../observations/records";
import type { StepInfo } from "../types";

/** The most flows, and steps per flow, taken from logs (the registry's own bounds, lib/registry/registry-limit.ts). */
export const MAX_LOG_FLOWS = 1_000;
export const MAX_LOG_STEPS_PER_FLOW = 10_000;

/** The records replayed so far, by flow and step; `undefined` once past the bounds. */
export class ReplayRecords {
  readonly #steps = new Map<string, Map<string, StepRecord>>();

  /** The record of `step` in `flow`: the declared one when `flow` is registered, else made. */
  stepOf(flow: string, step: string, kind: StepInfo["kind"]): StepRecord | undefined {
    let steps = this.#steps.get(flow);
    if (steps === undefined) {
      if (this.#steps.size >= MAX_LOG_FLOWS) return undefined;
      this.#steps.set(flow, (steps = new Map()));
    }
    let record = steps.get(step);
    if (record === undefined) {
      if (steps.size >= MAX_LOG_STEPS_PER_FLOW) return undefined;
      const existing = observations.flows.get(flow)?.steps.get(step);
      // A declared step keeps its links (its `after`); one only the logs know is made without any.
      record = existing?.wrapped === true ? existing : observationsOf({ name: step, flow, kind, after: [] });
      steps.set(step, record);
    }
    return record;
  }

  flows(): IterableIterator<string> {
    return this.#steps.keys();
  }
}

/** The frame a flow call's roots are called in: a runInFlow's, continued from elsewhere or not. */
export function baseFrame(correlationId: string, continued: boolean): Frame {
  return {
    correlationId,
    flow: undefined,
    step: undefined,
    spanId: undefined,
    home: undefined,
    values: undefined,
    record: undefined,
    flowCall: undefined,
    chain: 0,
    started: continued ? CONTINUED_HERE : CALL_ENDED,
  };
}

/** A call of `step` begins under `parent`: its frame, with the order checks and the call edge noted. */
export function replayBegin(step: StepRecord, parent: Frame, correlationId: string, spanId: string): Frame {
  const frame: Frame = { correlationId, flow: step.flowName, step: step.name, spanId, home: undefined, values: undefined, record: step, flowCall: undefined, chain: 0, started: 0 };
  callBegan(step, parent, frame);
  return frame;
}

/** The call in `frame` ended after `durationMs` with `outcome` (what observe.ts's `ended` does, with the logged duration). */
export function replayEnd(step: StepRecord, frame: Frame, durationMs: number, outcome: string): void {
  const call = frame.flowCall!;
  if (step.bit !== 0) call.finished |= step.bit;
  else wideEnded(step, call);
  step.calls++;
  if (outcome === "error") step.errors++;
  else if (outcome === "expected") step.expected++;
  recordDuration((step.histogram ??= createHistogram()), durationMs * 1e6, 1);
  frame.started = CALL_ENDED;
}
