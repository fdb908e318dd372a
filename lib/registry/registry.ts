// The step registry: O(1) registration at wrap time, deeply frozen snapshots on demand.
import { PenstockError } from "../errors";
import { globalSingleton, STEP_INFO_KEY } from "../internal/global";
import type { FlowInfo, Registry, StepInfo } from "../types";
import { MAX_FLOWS, MAX_STEPS_PER_FLOW, resetRegistryLimitWarnings, warnTooManyFlows, warnTooManySteps } from "./registry-limit";

interface MutableFlow {
  readonly name: string;
  readonly entrypoints: string[];
  readonly steps: Map<string, StepInfo>;
}

interface RegistryState {
  readonly flows: Map<string, MutableFlow>;
  /** The snapshot handed out since the last registration; cleared by the next one. */
  snapshot: Registry | undefined;
}

/** Every registration of the process, shared by every copy of penstock. */
const state: RegistryState = globalSingleton("registry@1", () => ({ flows: new Map(), snapshot: undefined }));

/**
 * The same predecessors, in any order: the order of `after` draws no different DAG. Linear in
 * their number (`after` holds no duplicates, lib/wrap/options.ts).
 */
function sameAfter(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const names = new Set(a);
  return b.every((name) => names.has(name));
}

function sameCrossFlow(a: StepInfo, b: StepInfo): boolean {
  const x = a.crossFlow ?? [];
  const y = b.crossFlow ?? [];
  return x.length === y.length && x.every((ref) => y.some((other) => other.flow === ref.flow && other.step === ref.step));
}

const MAX_NAMES_LISTED = 10;

function describe(info: StepInfo): string {
  const crossFlow = (info.crossFlow ?? []).map((ref) => `${ref.flow}/${ref.step}`);
  const names = [...info.after, ...crossFlow];
  // A message names a few predecessors, not 50,000.
  const listed = names.length <= MAX_NAMES_LISTED ? names.join(", ") : `${names.slice(0, MAX_NAMES_LISTED).join(", ")}, … ${names.length - MAX_NAMES_LISTED} more`;
  return `${info.kind} after [${listed}]${info.source === undefined ? "" : ` at ${info.source}`}`;
}

/**
 * Registering again what was registered is a no-op (hot reload, a module loaded twice, the
 * ESM and CommonJS copies): the same definition from the same site, or from an unknown one.
 */
function sameRegistration(existing: StepInfo, info: StepInfo): boolean {
  if (existing.kind !== info.kind || !sameAfter(existing.after, info.after) || !sameCrossFlow(existing, info)) return false;
  return existing.source === undefined || info.source === undefined || existing.source === info.source;
}

function conflictAdvice(existing: StepInfo, info: StepInfo): string {
  if (existing.source !== undefined && info.source !== undefined && existing.source !== info.source && sameRegistration({ ...existing, source: undefined }, info)) {
    return "Two sites register the same step: give one of them another name, or import the one from the other.";
  }
  return "Give one of them another name.";
}

/**
 * Records a step. Registering an identical step again from the same site (hot reload, a
 * module loaded twice) does nothing; a different step under the same flow and name, or the
 * same one from another site, is a REGISTRY_CONFLICT naming both sites.
 */
export function register(info: StepInfo): void {
  let flow = state.flows.get(info.flow);
  if (flow === undefined) {
    if (state.flows.size >= MAX_FLOWS) return warnTooManyFlows(info.flow);
    flow = { name: info.flow, entrypoints: [], steps: new Map() };
    state.flows.set(info.flow, flow);
  }
  const existing = flow.steps.get(info.name);
  if (existing !== undefined) {
    if (sameRegistration(existing, info)) return;
    throw new PenstockError(
      "REGISTRY_CONFLICT",
      `Step "${info.name}" is already registered in flow "${info.flow}" as ${describe(existing)}; ` +
        `it cannot be registered again as ${describe(info)}. ${conflictAdvice(existing, info)}`,
    );
  }
  if (flow.steps.size >= MAX_STEPS_PER_FLOW) return warnTooManySteps(info.flow, info.name);
  flow.steps.set(info.name, info);
  if (info.kind === "entrypoint") flow.entrypoints.push(info.name);
  state.snapshot = undefined;
}

/**
 * True once `flow` is past a bound of the registry (lib/registry/registry-limit.ts): new steps
 * of it are no longer recorded, and what is observed of it (drift, statistics) stops growing.
 */
export function isFlowOverLimit(flow: string): boolean {
  const recorded = state.flows.get(flow);
  return recorded === undefined ? state.flows.size >= MAX_FLOWS : recorded.steps.size >= MAX_STEPS_PER_FLOW;
}

/** Forgets every registration (for tests, through `resetPenstock`). */
export function clearRegistry(): void {
  state.flows.clear();
  resetRegistryLimitWarnings();
  state.snapshot = undefined;
}

function freezeRecord<V>(entries: Iterable<[string, V]>): Readonly<Record<string, V>> {
  // No prototype: step names such as "__proto__" or "constructor" are ordinary keys.
  const record = Object.create(null) as Record<string, V>;
  for (const [key, value] of entries) record[key] = value;
  return Object.freeze(record);
}

function snapshotFlow(flow: MutableFlow): FlowInfo {
  // StepInfo records are frozen when they are made, so they are shared, not copied.
  return Object.freeze({
    name: flow.name,
    entrypoints: Object.freeze([...flow.entrypoints]),
    steps: freezeRecord(flow.steps),
  });
}

function buildSnapshot(): Registry {
  const flows = freezeRecord([...state.flows.values()].map((flow) => [flow.name, snapshotFlow(flow)] as [string, FlowInfo]));
  const names = Object.freeze(Object.keys(flows).sort());
  return Object.freeze({
    flows,
    flow(name: string): FlowInfo {
      const found = typeof name === "string" ? flows[name] : undefined;
      if (found === undefined) {
        const known = names.length > 0 ? `Known flows: ${names.map((n) => `"${n}"`).join(", ")}.` : "No flow is registered yet: import the modules that define it first.";
        throw new PenstockError("UNKNOWN_FLOW", `Flow "${String(name)}" is not registered. ${known}`);
      }
      return found;
    },
    flowNames: () => names,
  });
}

/**
 * A deeply frozen snapshot of every registered flow. It is cached until the next
 * registration, and later registrations never change a snapshot already handed out.
 *
 * @example
 * const orders = getRegistry().flow("orders");
 * console.log(orders.entrypoints, Object.keys(orders.steps));
 */
export function getRegistry(): Registry {
  return (state.snapshot ??= buildSnapshot());
}

/**
 * The registration of a wrapped function, or undefined for anything else.
 *
 * @example
 * stepInfo(chargeCard) // { name: "charge_card", flow: "orders", kind: "step", after: ["validate"] }
 */
export function stepInfo(fn: unknown): StepInfo | undefined {
  if (typeof fn !== "function") return undefined;
  const info = (fn as unknown as Record<symbol, unknown>)[STEP_INFO_KEY];
  return info !== null && typeof info === "object" ? (info as StepInfo) : undefined;
}
