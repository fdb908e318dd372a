// The call edges behind diffDag's `undeclared`: which step called which, and how often, noted
// at run time. In the common case a call costs one identity comparison (of the caller's step
// record, lib/observations/observe.ts) and one increment; an edge is stored once, on first sight.
import { emitWarning } from "../internal/emit-warning";
import type { Frame } from "../context/frame";
import { isFlowOverLimit } from "../registry/registry";
import { clearRecords, observations, type CallerEdge, type StepRecord } from "./records";

/**
 * The most distinct caller -> callee edges kept per flow. Step names come from registrations,
 * so a real flow stays far below it; the bound only guards memory against, say, steps made
 * in a loop with generated names. Past it, new edges are dropped and one warning is given.
 */
export const MAX_OBSERVED_EDGES = 10_000;

/**
 * Notes that the step running in `parent` called `step`, when both are of the same flow.
 * A bare `runInFlow` frame has no step, and a call from another flow is no edge of this one.
 */
export function observeCaller(step: StepRecord, parent: Frame): void {
  const caller = parent.step;
  // The same caller as last time, by its names: for a caller whose frame has no record (made by
  // an older copy of penstock); callBegan settles the others by comparing records.
  if (caller === step.lastCaller && step.lastEdge !== undefined && parent.flow === step.flowName) {
    step.lastEdge.count++;
    return;
  }
  if (caller === undefined || parent.flow !== step.flowName) return;
  const edge = step.callers.get(caller) ?? addEdge(step, caller, parent.correlationId);
  if (edge === undefined) return;
  edge.count++;
  step.lastCaller = caller;
  step.lastCallerRecord = parent.record;
  step.lastEdge = edge;
}

// The first sight of an edge: rare, so it may cost more than the checks above.
function addEdge(step: StepRecord, caller: string, correlationId: string): CallerEdge | undefined {
  // A flow past the registry's bounds stores no new edge (its records were made before the bound).
  if (isFlowOverLimit(step.flowName)) return undefined;
  const record = step.flow;
  if (record.edges >= MAX_OBSERVED_EDGES) {
    if (!record.full) {
      record.full = true;
      emitWarning(
        `penstock: flow "${record.name}" has ${MAX_OBSERVED_EDGES} distinct observed call edges; ` +
          `further ones are not recorded, so diffDag("${record.name}") may miss some undeclared edges.`,
        { code: "PENSTOCK_DRIFT_LIMIT" },
      );
    }
    return undefined;
  }
  const edge: CallerEdge = { caller, count: 0, example: correlationId };
  step.callers.set(caller, edge);
  record.edges++;
  return edge;
}

/** An observed call edge: `count` calls of `to` made from `from`. */
export interface ObservedEdge {
  readonly from: string;
  readonly to: string;
  readonly count: number;
  readonly example: string | undefined;
}

/**
 * Every observed edge of `flow`, unsorted.
 *
 * @example
 * observedEdges("orders") // [{ from: "place_order", to: "validate_order", count: 2, example: "4bf9…" }, ...]
 */
export function observedEdges(flow: string): ObservedEdge[] {
  const record = observations.flows.get(flow);
  if (record === undefined) return [];
  const edges: ObservedEdge[] = [];
  for (const step of record.byIndex) {
    for (const edge of step.callers.values()) edges.push({ from: edge.caller, to: step.name, count: edge.count, example: edge.example });
  }
  return edges;
}

/**
 * Forgets what was observed so far (call edges, order, statistics), keeping registrations and
 * configuration: for tests that import their flows once and check `diffDag` after each run
 * (`penstock/testing`).
 *
 * @example
 * beforeEach(() => clearObservations());
 * test("checkout runs its steps in the declared order", async () => {
 *   await checkout(cart);
 *   assertConformance("checkout");
 * });
 */
export function clearObservations(): void {
  // Records are emptied, not replaced: existing wrappers keep writing to the ones they were given.
  clearRecords();
}
