// The call edges behind diffDag: which step called which, noted at run time (the drift between
// the drawing and the running code).
// In the common case the wrapper pays one identity comparison per call; an edge is stored once,
// on first sight.
import { emitWarning } from "../internal/emit-warning";
import { globalSingleton } from "../internal/global";
import { isFlowOverLimit } from "../registry/registry";
import type { Frame } from "../context/frame";
import type { StepInfo } from "../types";

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
  /** Distinct caller -> callee edges stored so far (bounded by MAX_OBSERVED_EDGES). */
  edges: number;
  /** Set once the bound is reached, so the warning is given once per flow. */
  full: boolean;
  /** By callee name. */
  readonly steps: Map<string, StepCallers>;
}

/** What has been seen of every flow, shared by every copy of penstock. */
const state: { readonly flows: Map<string, FlowObservations> } = globalSingleton("observations@1", () => ({ flows: new Map() }));

/**
 * The most distinct caller -> callee edges kept per flow. Step names come from registrations,
 * so a real flow stays far below it; the bound only guards memory against, say, steps made
 * in a loop with generated names. Past it, new edges are dropped and one warning is given.
 */
export const MAX_OBSERVED_EDGES = 10_000;

function flowRecord(flow: string): FlowObservations {
  let record = state.flows.get(flow);
  if (record === undefined) {
    record = { edges: 0, full: false, steps: new Map() };
    state.flows.set(flow, record);
  }
  return record;
}

/** Where a wrapped step notes its callers; looked up once, at wrap time. */
export function observationsOf(info: StepInfo): StepCallers {
  // A flow past the registry's bounds gets a record of its own, kept by the wrapper alone.
  if (isFlowOverLimit(info.flow)) return { flow: info.flow, callers: new Set(), last: undefined };
  const record = flowRecord(info.flow);
  let step = record.steps.get(info.name);
  if (step === undefined) {
    step = { flow: info.flow, callers: new Set(), last: undefined };
    record.steps.set(info.name, step);
  }
  return step;
}

/**
 * Notes that the step running in `parent` called this one, when both are of the same flow.
 * A bare `runInFlow` frame has no step, and a call from another flow is no edge of this one.
 */
export function observeCaller(step: StepCallers, parent: Frame): void {
  const caller = parent.step;
  // The hot path: the same caller as last time, settled by comparing two references.
  if (caller === step.last || caller === undefined || parent.flow !== step.flow) return;
  step.last = caller;
  if (!step.callers.has(caller)) addEdge(step, caller);
}

// The first sight of an edge: rare, so it may cost more than the checks above.
function addEdge(step: StepCallers, caller: string): void {
  if (isFlowOverLimit(step.flow)) return;
  const record = flowRecord(step.flow);
  if (record.edges >= MAX_OBSERVED_EDGES) {
    if (!record.full) {
      record.full = true;
      emitWarning(
        `penstock: flow "${step.flow}" has ${MAX_OBSERVED_EDGES} distinct observed call edges; ` +
          `further ones are not recorded, so diffDag("${step.flow}") may miss some undeclared edges.`,
        { code: "PENSTOCK_DRIFT_LIMIT" },
      );
    }
    return;
  }
  step.callers.add(caller);
  record.edges++;
}

/**
 * Every observed edge of `flow` as `[caller, callee]` pairs, unsorted.
 *
 * @example
 * observedEdges("orders") // [["place_order", "validate_order"], ...]
 */
export function observedEdges(flow: string): [from: string, to: string][] {
  const record = state.flows.get(flow);
  if (record === undefined) return [];
  const edges: [string, string][] = [];
  for (const [to, step] of record.steps) for (const from of step.callers) edges.push([from, to]);
  return edges;
}

/**
 * Forgets the call edges observed so far, keeping registrations and configuration: for tests
 * that import their flows once and check `diffDag` after each run (`penstock/testing`).
 *
 * @example
 * beforeEach(() => clearObservations());
 * test("checkout calls only what it declares", async () => {
 *   await checkout(cart);
 *   expect(diffDag("checkout").undeclared).toEqual([]);
 * });
 */
export function clearObservations(): void {
  // Records are emptied, not replaced: existing wrappers keep writing to the ones they were given.
  for (const record of state.flows.values()) {
    record.edges = 0;
    record.full = false;
    for (const step of record.steps.values()) {
      step.callers.clear();
      step.last = undefined;
    }
  }
}
