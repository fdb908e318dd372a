// The run-time observations behind diffDag (internal): which step was called by which.

/** What has been seen of one flow: for each step, the names of the steps that called it. */
export interface FlowObservations {
  /** Distinct caller -> callee edges stored so far (bounded, see lib/drift.ts). */
  edges: number;
  /** Set once the bound is reached, so the warning is given once per flow. */
  full: boolean;
  /** Callee name -> caller names. The Sets are kept (only emptied) when cleared: wrappers hold them. */
  readonly callers: Map<string, Set<string>>;
}

export interface DriftState {
  readonly flows: Map<string, FlowObservations>;
}
