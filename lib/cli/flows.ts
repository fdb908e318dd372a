// The flows a command works on, once the modules are loaded.
import type { Registry } from "../types";
import { CliError } from "./errors";

/**
 * The names of every flow, or just `flow`'s (UNKNOWN_FLOW, listing the known ones, when it
 * is not registered). No flow at all is an error: the modules given register nothing, and a
 * kept document must not be silently emptied.
 */
export function selectFlows(registry: Registry, flow: string | undefined, modules: readonly string[]): readonly string[] {
  if (registry.flowNames().length === 0) {
    throw new CliError(`${modules.join(", ")} registered no flow. Pass the modules that call entrypoint() and step() (or that import them).`);
  }
  return flow === undefined ? registry.flowNames() : [registry.flow(flow).name];
}
