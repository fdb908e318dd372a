// The bounds of the registry: names built per call (`entrypoint("job_" + id, fn)`) would
// otherwise be kept forever. Past a bound, a new flow or step still wraps and traces as
// before, but is not recorded: the registry, drift and statistics stop growing for that flow.
import { emitWarning } from "../internal/emit-warning";
import { globalSingleton } from "../internal/global";

/** The most flows recorded; a real codebase has tens. */
export const MAX_FLOWS = 1_000;
/** The most steps recorded in one flow; a real flow has tens. */
export const MAX_STEPS_PER_FLOW = 10_000;

/** What has been warned of, so that each bound warns once (once per flow for the steps bound). */
const warned: { flows: boolean; readonly fullFlows: Set<string> } = globalSingleton("registryLimitWarned@1", () => ({
  flows: false,
  fullFlows: new Set<string>(),
}));

const CAUSE =
  "A name built per call (such as entrypoint(\"job_\" + id, fn)) is the likely cause: give the flow and its steps fixed " +
  "names and record the varying part as an attribute. Calls are traced as before.";

/** One PENSTOCK_REGISTRY_LIMIT warning, when `flow` is the first flow past MAX_FLOWS. */
export function warnTooManyFlows(flow: string): void {
  if (warned.flows) return;
  warned.flows = true;
  emitWarning(
    `penstock: more than ${MAX_FLOWS} flows are registered; flow "${flow}" and any later new flow are not recorded ` +
      `(no DAG, drift or statistics for them). ${CAUSE}`,
    { code: "PENSTOCK_REGISTRY_LIMIT" },
  );
}

/** One PENSTOCK_REGISTRY_LIMIT warning per flow that reaches MAX_STEPS_PER_FLOW. */
export function warnTooManySteps(flow: string, step: string): void {
  if (warned.fullFlows.has(flow)) return;
  warned.fullFlows.add(flow);
  emitWarning(
    `penstock: flow "${flow}" has ${MAX_STEPS_PER_FLOW} registered steps; step "${step}" and any later new step of it ` +
      `are not recorded, and the flow's drift and statistics stop growing. ${CAUSE}`,
    { code: "PENSTOCK_REGISTRY_LIMIT" },
  );
}

/** Forgets the warnings given (with the registry, by clearRegistry). */
export function resetRegistryLimitWarnings(): void {
  warned.flows = false;
  warned.fullFlows.clear();
}
