// `penstock check`: validateFlow on every flow (or one), the problems listed, exit 1 if any.
import { validateFlow } from "../dag";
import { getRegistry } from "../registry/registry";
import type { FlowProblem, Registry } from "../types";
import type { CheckCommand } from "./args";
import { EXIT, type ExitCode } from "./errors";
import { selectFlows } from "./flows";
import type { CliIO } from "./io";
import { loadFlows } from "./load";

// Where the step a problem is about was registered, for an editor to jump to.
function siteOf(registry: Registry, problem: FlowProblem): string {
  const source = problem.step === undefined ? undefined : registry.flows[problem.flow]?.steps[problem.step]?.source;
  return source === undefined ? "" : ` at ${source}`;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? "" : "s"}`;

/**
 * Runs `penstock check`. One line per flow, then one indented line per problem (its code,
 * then its message, which names the flow and the step), then a summary:
 *
 * ```
 * flow "orders": ok, 5 steps
 * flow "broken": 2 problems
 *   NO_ENTRYPOINT: Flow "broken" has no entrypoint, ...
 *   UNKNOWN_STEP: Step "c" of flow "broken" lists "missing" in its `after`, ...
 * checked 2 flows: 2 problems in 1 flow.
 * ```
 */
export async function checkCommand(command: CheckCommand, io: CliIO): Promise<ExitCode> {
  const loaded = await loadFlows(command, io);
  const registry = getRegistry();
  const names = selectFlows(registry, command.flow, command.modules);
  let problems = 0;
  let failing = 0;
  for (const name of names) {
    const found = validateFlow(name, registry);
    // Names are quoted as JSON strings, as in the messages, so no name can break a line.
    const title = `flow ${JSON.stringify(name)}`;
    if (found.length === 0) {
      io.out(`${title}: ok, ${plural(Object.keys(registry.flow(name).steps).length, "step")}\n`);
      continue;
    }
    failing++;
    problems += found.length;
    io.out(`${title}: ${plural(found.length, "problem")}\n`);
    for (const problem of found) io.out(`  ${problem.code}${siteOf(registry, problem)}: ${problem.message}\n`);
  }
  const checked = `checked ${plural(names.length, "flow")}`;
  io.out(problems === 0 ? `${checked}: no problems.\n` : `${checked}: ${plural(problems, "problem")} in ${plural(failing, "flow")}.\n`);
  if (loaded.errors.length > 0) io.out(`and ${plural(loaded.errors.length, "file or registration")} could not be read (above).\n`);
  return problems === 0 && loaded.errors.length === 0 ? EXIT.ok : EXIT.failed;
}
