// The run-time observations behind diffDag (internal): which step was called by which.

/** What has been seen of one step: the steps that called it. Shared by its wrappers. */
export interface StepCallers {
  /** The flow the step belongs to. */
  readonly flow: string;
  /** Every caller seen; kept (only emptied) when cleared, because wrappers hold this record. */
  readonly callers: Set<string>;
  /** The caller of the last recorded call: most steps are called from one place. */
  last: string | undefined;
}

/** What has been seen of one flow. */
export interface FlowObservations {
  /** Distinct caller -> callee edges stored so far (bounded, see lib/drift.ts). */
  edges: number;
  /** Set once the bound is reached, so the warning is given once per flow. */
  full: boolean;
  /** By callee name. */
  readonly steps: Map<string, StepCallers>;
}

export interface DriftState {
  readonly flows: Map<string, FlowObservations>;
}
