// PENSTOCK_UNKNOWN_STEP: a name in `after` that the flow has not registered (a typo such as
// "reserve_stok"), reported once per flow, on the flow's first call.
import { emitWarning } from "../internal/emit-warning";
import { globalSingleton } from "../internal/global";
import { getRegistry } from "./registry";

/** The flows already checked in this process, shared by every copy of penstock. */
const checked: Set<string> = globalSingleton("unknown-step-warnings@1", () => new Set<string>());

/** The (step, unknown name) pairs of `flow`, in registration order. */
export function unknownSteps(flow: string): [step: string, missing: string][] {
  const info = getRegistry().flows[flow];
  if (info === undefined) return [];
  const found: [string, string][] = [];
  for (const name of Object.keys(info.steps)) {
    for (const after of info.steps[name]!.after) if (info.steps[after] === undefined) found.push([name, after]);
  }
  return found;
}

/**
 * Warns once for `flow` when some `after` of it names a step it does not have. Called by an
 * entrypoint's first call, so a typo is seen at run time as `penstock check` sees it.
 */
export function warnUnknownStepsOnce(flow: string): void {
  if (checked.has(flow)) return;
  checked.add(flow);
  const found = unknownSteps(flow);
  if (found.length === 0) return;
  const list = found.map(([step, missing]) => `step ${JSON.stringify(step)} lists ${JSON.stringify(missing)}`).join(", ");
  emitWarning(
    `penstock: flow ${JSON.stringify(flow)} has no step of a name its \`after\` lists (${list}); ` +
      "the DAG draws it as an unknown node. Fix the name, or register that step in this flow (penstock check lists every problem).",
    { code: "PENSTOCK_UNKNOWN_STEP" },
  );
}

/** Forgets which flows were checked (for tests, through `resetPenstock`). */
export function clearUnknownStepWarnings(): void {
  checked.clear();
}
