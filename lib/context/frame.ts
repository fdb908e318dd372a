// The record held in the frame store (lib/context/frame-store.ts) for one flow context.
import type { FlowCall } from "../observations/conformance";
import type { StepRecord } from "../observations/records";

export interface Frame {
  /**
   * The flow call's correlation ID (32 hex, or a validated inbound ID). Written once more at
   * most: a root entrypoint's fresh ID becomes the trace ID of the span a backend with a
   * flow scope starts, before the function runs and nothing has seen it (lib/call/wrapper.ts).
   */
  correlationId: string;
  /** The flow whose entrypoint or step is running; undefined in a bare `runInFlow`. */
  readonly flow: string | undefined;
  /** The step (or entrypoint) running; undefined in a bare `runInFlow`. */
  readonly step: string | undefined;
  /** penstock's span ID for the running step, the parent of any step it calls. */
  readonly spanId: string | undefined;
  /**
   * The frame that holds the flow values of this flow call: the entrypoint's (or runInFlow's)
   * frame for a step, undefined for that frame itself (see {@link valuesHome}).
   */
  readonly home: Frame | undefined;
  /**
   * Flow values, on the home frame only: shared by the steps of one entrypoint call, copied
   * by a nested entrypoint, and made on the first setFlowValue. Most flows set none, and a
   * Map per entrypoint call kept alive for the whole call was most of what a pending flow
   * holds beyond its twin's context (docs/performance.md, concurrency).
   */
  values: Map<string, unknown> | undefined;
  /**
   * The step record of the running call (lib/observations/records.ts), as its caller's identity
   * for the call edges of the steps it calls and for its own end; undefined in a bare
   * `runInFlow` outside a call, and in a frame made by a copy of penstock from before it.
   */
  readonly record?: StepRecord | undefined;
  /** The order record of this flow call for this frame's flow (lib/observations/conformance.ts). */
  flowCall?: FlowCall | undefined;
  /** The bits of the steps on this frame's chain of wrapped callers, its own included. */
  chain?: number;
  /**
   * When this frame's call started (lib/observations/step-stats.ts), read when its promise
   * settles; or UNTIMED, or one of the marks below (no open call). Every frame literal has the
   * same fields in the same order, so that the call path reads frames of one hidden class.
   */
  started?: number;
}

/** `started` of a frame whose call was already counted as ended, or that is no call's (a runInFlow frame). */
export const CALL_ENDED = -3;
/** `started` of a runInFlow frame whose ID came from another process (a carrier): its flow call goes on here. */
export const CONTINUED_HERE = -4;

/** Whether `started` is that of a call not yet counted as ended (a start time, or UNTIMED = -1). */
export function callOpen(started: number | undefined): boolean {
  return started !== undefined && started > CALL_ENDED;
}

/** The frame that holds the flow values of `frame`'s flow call. */
export function valuesHome(frame: Frame): Frame {
  return frame.home ?? frame;
}
