// The registries the DAG specs draw, and every diagram drawn from them, so that the renderer
// spec can put each one through the real Mermaid parser and real Graphviz.
import { generateDag, type GenerateDagOptions } from "../../lib/dag";
import { flowGraph } from "../../lib/dag/graph";
import type { Registry } from "../../lib/types";
import { chain, makeRegistry, USER_UPDATE, type FixtureStep } from "./registry-fixture";

/** Names that break naive Mermaid or DOT output, one of each kind of trouble. */
export const HOSTILE_NAMES: readonly string[] = [
  "with space", "dash-ed", 'say "hi"', "it's", "hash#tag", "<b>bold</b>", "a&b", "semi;colon",
  "überprüfen", "🚀 launch", "back\\slash", "trailing\\", "end", "graph", "subgraph", "click",
  "style", "class", "default", "ox", "xo", "o", "x", "v", "TD", "End", "a --> b", "a-->b", "a|b",
  "[x]", "(y)", "{z}", "@{ shape: rect }", "%%comment", "%%{init: {}}%%", "%total", "direction LR",
  "x direction TB", "style: #fff;", "classDef x fill:#f00", "#quot;", "#35;", "&amp;", "&#65;",
  "`md`", '"`md`"', "ﬂ°quot¶ß", "\\N", "a\\nb", "a\nb", "tab\there", "\u0001ctl", "\u2028sep",
  "lone\ud800", "1start", "__proto__", "constructor", "node", "edge", "strict", "digraph", "n_e40c292c", " ", "", "-", "---", "a:b",
];

/** One flow with every hostile name as a step. */
export function hostileSteps(): FixtureStep[] {
  const steps: FixtureStep[] = [{ flow: "hostile", name: "entry", kind: "entrypoint" }];
  // A chain keeps Graphviz's layout cheap; the entrypoint fans out to every tenth name.
  HOSTILE_NAMES.forEach((name, i) => {
    const after = i === 0 ? ["entry"] : i % 10 === 0 ? ["entry", HOSTILE_NAMES[i - 1]!] : [HOSTILE_NAMES[i - 1]!];
    steps.push({ flow: "hostile", name, after });
  });
  steps.push({ flow: "hostile", name: "isolated one" });
  return steps;
}

/** A flow per hostile name, holding a step of that name and one without edges. */
export function hostileFlowSteps(): FixtureStep[] {
  return HOSTILE_NAMES.flatMap((name): FixtureStep[] => [
    { flow: name, name: "start", kind: "entrypoint" },
    { flow: name, name, after: "start" },
    { flow: name, name: `${name} (alone)` },
  ]);
}

/** The registries of the specs, by name. */
export const FIXTURES: Readonly<Record<string, readonly FixtureStep[]>> = {
  empty: [],
  userUpdate: USER_UPDATE,
  withIsolated: [
    ...USER_UPDATE,
    { flow: "user_update", name: "audit" },
    { flow: "user_update", name: "archive" },
  ],
  // The same step names in two flows, a name shared with a flow, and an unregistered predecessor.
  twoFlows: [
    { flow: "orders", name: "receive", kind: "entrypoint" },
    { flow: "orders", name: "validate", after: "receive" },
    { flow: "orders", name: "charge card", after: ["validate", "ghost"] },
    { flow: "refunds", name: "receive", kind: "entrypoint" },
    { flow: "refunds", name: "validate", after: "receive" },
    { flow: "refunds", name: "orders", after: "validate" },
  ],
  ping: [{ flow: "ping", name: "ping", kind: "entrypoint" }],
  pingPong: [
    { flow: "ping", name: "ping", kind: "entrypoint" },
    { flow: "ping", name: "pong", after: "ping" },
  ],
  // large.spec.ts draws 10,000 of these; here are enough to parse.
  quotedChain: chain("long", 30).map((s, i) => ({ ...s, name: `step ${i}`, after: i === 0 ? undefined : `step ${i - 1}` })),
  duplicates: [
    { flow: "f", name: "a", kind: "entrypoint" },
    { flow: "f", name: "b", after: ["a", "a", "b"] },
  ],
  ghost: [{ flow: "f", name: "b", kind: "entrypoint", after: "ghost" }],
  quoting: [
    { flow: "f", name: "end", kind: "entrypoint" },
    { flow: "f", name: "with space", after: "end" },
    { flow: "f", name: 'say "hi"', after: "with space" },
    { flow: "f", name: "ox", after: 'say "hi"' },
    { flow: "f", name: "xo", after: "ox" },
    { flow: "f", name: "überprüfen", after: "xo" },
    { flow: "f", name: "<b>&</b>" },
  ],
  collision: [
    { flow: "f", name: "end", kind: "entrypoint" },
    { flow: "f", name: "n_6a8e75aa", after: "end" },
  ],
  decorated: [
    { flow: "f", name: "start", kind: "entrypoint" },
    { flow: "f", name: "my step", after: "start" },
    { flow: "f", name: "other start", kind: "entrypoint" },
  ],
  myFlow: [{ flow: "my flow", name: "only", kind: "entrypoint" }],
  dotNames: [
    { flow: "g", name: "%total", kind: "entrypoint" },
    { flow: "g", name: 'say "hi"', after: "%total" },
    { flow: "g", name: "back\\slash", after: 'say "hi"' },
    { flow: "g", name: "a&b", after: ["back\\slash", "ghost"] },
    { flow: "g", name: "a\nb" },
  ],
  problems: [
    { flow: "broken", name: "a", after: "b" },
    { flow: "broken", name: "b", after: "a" },
    { flow: "broken", name: "c", after: ["c", "missing"] },
    { flow: "loops", name: "start", kind: "entrypoint" },
    { flow: "loops", name: "x", after: ["start", "z"] },
    { flow: "loops", name: "y", after: "x" },
    { flow: "loops", name: "z", after: "y" },
  ],
  hostile: hostileSteps(),
  hostileFlows: hostileFlowSteps(),
};

// Drawings the specs make beyond the variants every fixture gets.
const EXTRA: readonly [fixture: string, flow: string | undefined, options: GenerateDagOptions][] = [
  ["userUpdate", "user_update", { direction: "LR" }],
  ["decorated", "f", { decorate: true }],
  ["myFlow", undefined, { direction: "LR" }],
];

// Fixtures with many small flows are drawn whole but not flow by flow (nor as Markdown, whose
// blocks are single-flow drawings): their step names are already drawn in "hostile", and
// each parse costs Mermaid about 10 ms.
const WHOLE_ONLY = new Set(["hostileFlows"]);

/** What a diagram must show: per flow, the names of its nodes and its edges. */
export interface Expected {
  readonly flows: readonly { readonly name: string; readonly nodes: readonly string[]; readonly edges: readonly (readonly [string, string])[] }[];
  /** Drawn as one subgraph (Mermaid) or cluster (DOT) per flow. */
  readonly grouped: boolean;
}

export interface CorpusDiagram {
  readonly kind: "mermaid" | "dot";
  readonly text: string;
  readonly expected: Expected;
  readonly title: string;
}

function expectedOf(registry: Registry, flow: string | undefined): Expected {
  const names = flow === undefined ? registry.flowNames() : [flow];
  return {
    grouped: flow === undefined,
    flows: names.map((name) => {
      const graph = flowGraph(registry.flow(name));
      return { name, nodes: graph.nodes.map((n) => n.name), edges: graph.edges.map((e) => [e.from, e.to] as const) };
    }),
  };
}

/**
 * Every Mermaid and DOT diagram the fixtures give, in both directions, with and without
 * decorations, for each flow and for all flows, and the Mermaid blocks of the Markdown.
 */
export function corpus(): CorpusDiagram[] {
  const diagrams: CorpusDiagram[] = [];
  // A Markdown block is often the very text of a one-flow Mermaid drawing: check it once.
  const seen = new Set<string>();
  const add = (diagram: CorpusDiagram): void => {
    const key = `${diagram.kind}\u0000${diagram.text}`;
    if (seen.has(key)) return;
    seen.add(key);
    diagrams.push(diagram);
  };
  for (const [fixture, steps] of Object.entries(FIXTURES)) {
    const registry = makeRegistry(steps);
    for (const flow of WHOLE_ONLY.has(fixture) ? [undefined] : [undefined, ...registry.flowNames()]) {
      const expected = expectedOf(registry, flow);
      const variants: [GenerateDagOptions, "mermaid" | "dot"][] = [
        [{ format: "mermaid" }, "mermaid"],
        [{ format: "mermaid", direction: "LR", decorate: true }, "mermaid"],
        [{ format: "dot" }, "dot"],
        [{ format: "dot", direction: "LR" }, "dot"],
      ];
      for (const [options, kind] of variants) {
        const text = generateDag(flow, { ...options, registry });
        add({ kind, text, expected, title: `${fixture} ${JSON.stringify(flow ?? "(all)")} ${JSON.stringify(options)}` });
      }
      if (WHOLE_ONLY.has(fixture)) continue;
      // Markdown holds single-flow Mermaid blocks, one per flow.
      const markdown = generateDag(flow, { format: "markdown", registry });
      const blocks = [...markdown.matchAll(/```mermaid\n([\s\S]*?)```\n/g)].map((m) => m[1]!);
      blocks.forEach((text, i) => {
        const one = expected.flows[i]!;
        add({ kind: "mermaid", text, expected: { grouped: false, flows: [one] }, title: `${fixture} markdown block ${JSON.stringify(one.name)}` });
      });
    }
  }
  for (const [fixture, flow, options] of EXTRA) {
    const registry = makeRegistry(FIXTURES[fixture]!);
    const text = generateDag(flow, { ...options, registry });
    add({ kind: "mermaid", text, expected: expectedOf(registry, flow), title: `${fixture} ${JSON.stringify(flow ?? "(all)")} ${JSON.stringify(options)}` });
  }
  return diagrams;
}
