// The flows of the logs that no module declares, drawn from the edges seen in them: each step
// after the predecessors its calls followed (lib/logs/assemble-calls.ts), each edge counted as
// often as it was seen. A registry-shaped record, so generateDag and flowStats draw it as any other.
import { PenstockError } from "../errors";
import { observationsOf, observations } from "../observations/records";
import type { FlowInfo, Registry, StepInfo } from "../types";
import type { LogEdge } from "./assemble-calls";

function freezeRecord<V>(entries: Iterable<[string, V]>): Readonly<Record<string, V>> {
  const record = Object.create(null) as Record<string, V>;
  for (const [key, value] of entries) record[key] = value;
  return Object.freeze(record);
}

/** The flow `flow` as the logs show it: its steps (with their kinds) and the edges seen. */
function logFlow(flow: string, kinds: ReadonlyMap<string, StepInfo["kind"]>, edges: readonly LogEdge[]): FlowInfo {
  const after = new Map<string, string[]>();
  for (const { from, to } of edges) {
    const list = after.get(to) ?? [];
    if (!list.includes(from)) list.push(from);
    after.set(to, list);
  }
  const steps: [string, StepInfo][] = [...kinds].map(([name, kind]) => [name, Object.freeze({ name, flow, kind, after: Object.freeze((after.get(name) ?? []).sort()) })]);
  return Object.freeze({
    name: flow,
    entrypoints: Object.freeze(steps.filter(([, info]) => info.kind === "entrypoint").map(([name]) => name).sort()),
    steps: freezeRecord(steps),
  });
}

/**
 * `declared` with the flows of the logs it lacks added, each drawn from its `edges`; the
 * observations of those flows are linked to the drawn edges, each edge's count being the
 * times it was seen (what flowStats reports for it).
 */
export function registryWithLogFlows(declared: Registry, logFlows: readonly string[], edgesOf: (flow: string) => readonly LogEdge[]): Registry {
  const flows = new Map<string, FlowInfo>(declared.flowNames().map((name) => [name, declared.flow(name)]));
  for (const flow of logFlows) {
    const record = observations.flows.get(flow);
    if (record === undefined) continue;
    const kinds = new Map<string, StepInfo["kind"]>(record.byIndex.map((step) => [step.name, step.kind]));
    const edges = edgesOf(flow);
    const info = logFlow(flow, kinds, edges);
    flows.set(flow, info);
    for (const step of Object.values(info.steps)) {
      const linked = observationsOf(step);
      linked.preds.forEach((pred, i) => {
        linked.predRan[i] = edges.filter((edge) => edge.from === pred.name && edge.to === step.name).reduce((sum, edge) => sum + edge.count, 0);
      });
    }
  }
  const names = Object.freeze([...flows.keys()].sort());
  return Object.freeze({
    flows: freezeRecord(flows),
    flow(name: string): FlowInfo {
      const found = flows.get(name);
      if (found === undefined) throw new PenstockError("UNKNOWN_FLOW", `Flow "${String(name)}" is neither declared nor in the logs. Known flows: ${names.map((n) => `"${n}"`).join(", ") || "none"}.`);
      return found;
    },
    flowNames: () => names,
  });
}
