// Drift between the drawing and the running code: which step called which, noted at run time.
// The wrapper pays one Set lookup per call; an edge is stored once, on first sight.
import { shared } from "./global";
import type { FlowObservations } from "./drift-state";
import type { Frame } from "./frame";
import type { StepInfo } from "./types";

const state = shared.drift;

/**
 * The most distinct caller -> callee edges kept per flow. Step names come from registrations,
 * so a real flow stays far below it; the bound only guards memory against, say, steps made
 * in a loop with generated names. Past it, new edges are dropped and one warning is given.
 */
export const MAX_OBSERVED_EDGES = 10_000;

/** Where one wrapper notes its callers; looked up once, at wrap time. */
export interface StepObservations {
  readonly flow: string;
  readonly step: string;
  readonly record: FlowObservations;
  readonly callers: Set<string>;
}

function flowRecord(flow: string): FlowObservations {
  let record = state.flows.get(flow);
  if (record === undefined) {
    record = { edges: 0, full: false, callers: new Map() };
    state.flows.set(flow, record);
  }
  return record;
}

/** The observations of a wrapped step; wrappers of the same flow and name share them. */
export function observationsOf(info: StepInfo): StepObservations {
  const record = flowRecord(info.flow);
  let callers = record.callers.get(info.name);
  if (callers === undefined) {
    callers = new Set();
    record.callers.set(info.name, callers);
  }
  return { flow: info.flow, step: info.name, record, callers };
}

/**
 * Notes that the step running in `parent` called this one, when both are of the same flow.
 * A bare `runInFlow` frame has no step, and a call from another flow is no edge of this one.
 */
export function observeCaller(observations: StepObservations, parent: Frame): void {
  const caller = parent.step;
  if (caller === undefined || parent.flow !== observations.flow || observations.callers.has(caller)) return;
  addEdge(observations, caller);
}

// The first sight of an edge: rare, so it may cost more than the lookup above.
function addEdge(observations: StepObservations, caller: string): void {
  const record = observations.record;
  if (record.edges >= MAX_OBSERVED_EDGES) {
    if (!record.full) {
      record.full = true;
      process.emitWarning(
        `penstock: flow "${observations.flow}" has ${MAX_OBSERVED_EDGES} distinct observed call edges; ` +
          `further ones are not recorded, so diffDag("${observations.flow}") may miss some undeclared edges.`,
        { code: "PENSTOCK_DRIFT_LIMIT" },
      );
    }
    return;
  }
  observations.callers.add(caller);
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
  for (const [to, callers] of record.callers) for (const from of callers) edges.push([from, to]);
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
  // The Sets are emptied, not replaced: existing wrappers keep writing to the ones they were given.
  for (const record of state.flows.values()) {
    record.edges = 0;
    record.full = false;
    for (const callers of record.callers.values()) callers.clear();
  }
}
