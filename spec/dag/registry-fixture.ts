// Hand-made registry snapshots for the DAG specs: unlike the wrappers they allow references
// to unknown steps, cycles and flows without an entrypoint.
import { PenstockError } from "../../lib/errors";
import type { FlowInfo, Registry, StepInfo, StepKind } from "../../lib/types";

/** One registration, as `entrypoint(name, fn, { flow, after })` or `step(...)` would make it. */
export interface FixtureStep {
  readonly flow: string;
  readonly name: string;
  readonly kind?: StepKind;
  readonly after?: string | readonly string[];
}

function frozenRecord<V>(entries: Iterable<readonly [string, V]>): Readonly<Record<string, V>> {
  const record = Object.create(null) as Record<string, V>;
  for (const [key, value] of entries) record[key] = value;
  return Object.freeze(record);
}

/**
 * A frozen Registry from registrations in order, shaped like `getRegistry()`'s snapshots.
 *
 * @example
 * makeRegistry([{ flow: "f", name: "a", kind: "entrypoint" }, { flow: "f", name: "b", after: "a" }])
 */
export function makeRegistry(steps: readonly FixtureStep[]): Registry {
  const flows = new Map<string, { entrypoints: string[]; steps: Map<string, StepInfo> }>();
  for (const { flow, name, kind = "step", after = [] } of steps) {
    let entry = flows.get(flow);
    if (entry === undefined) flows.set(flow, (entry = { entrypoints: [], steps: new Map() }));
    if (entry.steps.has(name)) throw new Error(`fixture: "${name}" registered twice in "${flow}"`);
    const info: StepInfo = Object.freeze({ name, flow, kind, after: Object.freeze(typeof after === "string" ? [after] : [...after]) });
    entry.steps.set(name, info);
    if (kind === "entrypoint") entry.entrypoints.push(name);
  }
  const records = frozenRecord(
    [...flows].map(([name, entry]): [string, FlowInfo] => [
      name,
      Object.freeze({ name, entrypoints: Object.freeze([...entry.entrypoints]), steps: frozenRecord(entry.steps) }),
    ]),
  );
  const names = Object.freeze(Object.keys(records).sort());
  return Object.freeze({
    flows: records,
    flow(name: string): FlowInfo {
      const found = records[name];
      if (found === undefined) throw new PenstockError("UNKNOWN_FLOW", `Flow "${name}" is not registered.`);
      return found;
    },
    flowNames: () => names,
  });
}

/** A flow whose steps form a chain `s0 -> s1 -> ... -> s<n-1>`, `s0` the entrypoint. */
export function chain(flow: string, length: number): FixtureStep[] {
  return Array.from({ length }, (_, i) =>
    i === 0 ? { flow, name: "s0", kind: "entrypoint" as const } : { flow, name: `s${i}`, after: `s${i - 1}` },
  );
}

/** The Python documentation's example: the `user_update` flow. */
export const USER_UPDATE: readonly FixtureStep[] = [
  { flow: "user_update", name: "receive_request", kind: "entrypoint" },
  { flow: "user_update", name: "validate_input", after: "receive_request" },
  { flow: "user_update", name: "check_permissions", after: "receive_request" },
  { flow: "user_update", name: "load_user", after: ["validate_input", "check_permissions"] },
  { flow: "user_update", name: "update_user", after: "load_user" },
  { flow: "user_update", name: "send_notification", after: "update_user" },
];

/** The Python documentation's rendering of the user_update flow: six edges, sorted. */
export const PYTHON_EXAMPLE =
  "graph TD\n" +
  "    check_permissions --> load_user\n" +
  "    load_user --> update_user\n" +
  "    receive_request --> check_permissions\n" +
  "    receive_request --> validate_input\n" +
  "    update_user --> send_notification\n" +
  "    validate_input --> load_user\n";
