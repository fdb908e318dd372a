// validateFlow: what keeps a flow from being a sound DAG, as a list of problems.
import { z } from "zod";
import { getRegistry } from "../registry/registry";
import type { FlowProblem, Registry } from "../types";
import { parseOrThrow } from "../internal/parse-or-throw";
import { compareNames, flowGraph, type FlowGraph } from "./graph";
import { registrySchema } from "./options";

// Successor lists by node index; nodes and edges are sorted, so the lists are too.
function successorsOf(graph: FlowGraph, index: ReadonlyMap<string, number>): number[][] {
  const successors = graph.nodes.map((): number[] => []);
  for (const { from, to } of graph.edges) successors[index.get(from)!]!.push(index.get(to)!);
  return successors;
}

/**
 * Tarjan's strongly connected components, with an explicit stack instead of recursion so a
 * 10,000-step chain cannot overflow the call stack. O(nodes + edges).
 */
function stronglyConnected(successors: readonly (readonly number[])[]): number[][] {
  const count = successors.length;
  const order = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const nextEdge = new Int32Array(count);
  const stack: number[] = [];
  const path: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  const visit = (node: number): void => {
    order[node] = low[node] = counter++;
    stack.push(node);
    onStack[node] = 1;
    path.push(node);
  };
  for (let root = 0; root < count; root++) {
    if (order[root] !== -1) continue;
    visit(root);
    while (path.length > 0) {
      const node = path[path.length - 1]!;
      const next = successors[node]!;
      if (nextEdge[node]! < next.length) {
        const successor = next[nextEdge[node]!++]!;
        if (order[successor] === -1) visit(successor);
        else if (onStack[successor]) low[node] = Math.min(low[node]!, order[successor]!);
        continue;
      }
      path.pop();
      const parent = path[path.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent]!, low[node]!);
      if (low[node] !== order[node]) continue;
      const component: number[] = [];
      let member: number;
      do {
        member = stack.pop()!;
        onStack[member] = 0;
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  }
  return components;
}

// The shortest way round from the component's first node back to itself (breadth-first),
// to show the user one concrete cycle rather than just the set of steps caught in it.
function shortestCycle(start: number, members: ReadonlySet<number>, successors: readonly (readonly number[])[]): number[] {
  const previous = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const successor of successors[node]!) {
      if (successor === start) {
        const back = [start];
        for (let at = node; at !== start; at = previous.get(at)!) back.push(at);
        back.push(start);
        return back.reverse();
      }
      if (members.has(successor) && !previous.has(successor)) {
        previous.set(successor, node);
        queue.push(successor);
      }
    }
  }
  return [start, start];
}

// Names are quoted as JSON strings, so a quote or a newline in a name cannot garble a message.
const quote = (name: string): string => JSON.stringify(name);

function cycleProblems(graph: FlowGraph, successors: readonly (readonly number[])[]): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const components = stronglyConnected(successors)
    .filter((component) => component.length > 1 || successors[component[0]!]!.includes(component[0]!))
    // Node indices follow name order, so sorting indices sorts names.
    .map((component) => component.sort((a, b) => a - b))
    .sort((a, b) => a[0]! - b[0]!);
  for (const component of components) {
    const names = component.map((i) => graph.nodes[i]!.name);
    const path = shortestCycle(component[0]!, new Set(component), successors)
      .map((i) => graph.nodes[i]!.name)
      .join(" -> ");
    const what =
      names.length === 1
        ? `Step ${quote(names[0]!)} of flow ${quote(graph.flow)} lists itself in its own \`after\``
        : `Steps ${names.map(quote).join(", ")} of flow ${quote(graph.flow)} form a cycle (${path})`;
    problems.push({
      code: "CYCLE",
      flow: graph.flow,
      step: names[0]!,
      cycle: names,
      message: `${what}. A flow must be a DAG: remove one of these \`after\` references.`,
    });
  }
  return problems;
}

function unreachableProblems(graph: FlowGraph, index: ReadonlyMap<string, number>, successors: readonly (readonly number[])[]): FlowProblem[] {
  const reached = new Uint8Array(graph.nodes.length);
  const queue = graph.entrypoints.map((name) => index.get(name)!);
  for (const node of queue) reached[node] = 1;
  for (let head = 0; head < queue.length; head++) {
    for (const successor of successors[queue[head]!]!) {
      if (!reached[successor]) {
        reached[successor] = 1;
        queue.push(successor);
      }
    }
  }
  const entrypoints = graph.entrypoints.map(quote).join(", ");
  return graph.nodes
    .filter((node, i) => !reached[i] && node.kind !== "unknown")
    .map((node): FlowProblem => ({
      code: "UNREACHABLE",
      flow: graph.flow,
      step: node.name,
      message:
        `Step ${quote(node.name)} of flow ${quote(graph.flow)} cannot be reached from its entrypoint${graph.entrypoints.length > 1 ? "s" : ""} ${entrypoints}. ` +
        "Add a step on a path from an entrypoint to its `after`, or move it to the flow it belongs to.",
    }));
}

/**
 * What keeps a flow from being a sound DAG; `[]` when there is nothing. In this order:
 * `NO_ENTRYPOINT`; `UNKNOWN_STEP` for each `after` name that is not a step of the flow (by
 * step, then name); `CYCLE` for each set of steps that depend on each other, and each step
 * that lists itself (`cycle` holds its steps, sorted); `UNREACHABLE` for each step no path
 * from an entrypoint reaches (not reported when there is no entrypoint at all).
 * Throws `UNKNOWN_FLOW` for a flow that is not registered.
 *
 * @example
 * for (const problem of validateFlow("orders")) console.error(problem.message);
 */
export function validateFlow(name: string, registry: Registry = getRegistry()): FlowProblem[] {
  parseOrThrow(z.string(), name, "name");
  parseOrThrow(registrySchema, registry, "registry");
  const flow = registry.flow(name);
  const graph = flowGraph(flow);
  const index = new Map(graph.nodes.map((node, i) => [node.name, i] as const));
  const problems: FlowProblem[] = [];
  if (graph.entrypoints.length === 0) {
    problems.push({
      code: "NO_ENTRYPOINT",
      flow: flow.name,
      message: `Flow ${quote(flow.name)} has no entrypoint, so nothing can start it. Wrap the function that starts it with entrypoint(..., { flow: ${quote(flow.name)} }).`,
    });
  }
  // The graph already knows which names are registered (and does not trust `in` or a lookup
  // on a record that might have a prototype).
  const unknown = new Set(graph.nodes.filter((node) => node.kind === "unknown").map((node) => node.name));
  for (const node of graph.nodes) {
    if (node.kind === "unknown") continue;
    for (const missing of [...new Set(node.after)].filter((after) => unknown.has(after)).sort(compareNames)) {
      problems.push({
        code: "UNKNOWN_STEP",
        flow: flow.name,
        step: node.name,
        message: `Step ${quote(node.name)} of flow ${quote(flow.name)} lists ${quote(missing)} in its \`after\`, but flow ${quote(flow.name)} has no step ${quote(missing)}. Fix the name, or register that step in this flow.`,
      });
    }
  }
  const successors = successorsOf(graph, index);
  problems.push(...cycleProblems(graph, successors));
  if (graph.entrypoints.length > 0) problems.push(...unreachableProblems(graph, index, successors));
  return problems;
}
