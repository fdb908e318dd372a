// A flow call as a tree of timed steps: what `penstock logs` rebuilds from pino lines and what
// the report draws as a waterfall. Plain data (JSON-serialisable), so that the report page can
// embed it and a consumer can build one from another source.

/** How a step call ended; `"unfinished"` when its `step.end` never came. */
export type TraceOutcome = "ok" | "error" | "expected" | "abandoned" | "unfinished";

/** One step call inside a flow call. */
export interface TraceStep {
  readonly step: string;
  /** The flow the step is registered in (a nested entrypoint's flow differs from the call's). */
  readonly flow: string;
  readonly kind: "entrypoint" | "step";
  readonly spanId: string;
  /** `undefined` for the flow call's root. */
  readonly parentSpanId: string | undefined;
  /** 0 for the root, its children 1, and so on. */
  readonly depth: number;
  /** Start of this step relative to the flow call's `startedAt`, in milliseconds. */
  readonly offsetMs: number;
  /** `undefined` when the step is unfinished. */
  readonly durationMs: number | undefined;
  readonly outcome: TraceOutcome;
  /** The error message of a failed (or expected-error) step. */
  readonly error: string | undefined;
}

/** One flow call: every step call that carried its correlation ID. */
export interface FlowCallTrace {
  readonly correlationId: string;
  /** The flow of the root step (the entrypoint that began the call). */
  readonly flow: string;
  /** Name of the root step. */
  readonly entrypoint: string;
  /** Epoch milliseconds of the earliest step.start. */
  readonly startedAt: number;
  /** The root's duration; `undefined` when unfinished. */
  readonly durationMs: number | undefined;
  /** The root's outcome (`"unfinished"` when its step.end never came). */
  readonly outcome: TraceOutcome;
  /** Depth-first, in start order; the root first. */
  readonly steps: readonly TraceStep[];
}
