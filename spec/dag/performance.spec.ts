// Large flows: 10,000 steps must draw and validate in well under a second.
import { performance } from "node:perf_hooks";
import { generateDag, validateFlow, type DagFormat } from "../../lib/dag";
import { chain, makeRegistry, type FixtureStep } from "./registry-fixture";

function timed<T>(run: () => T): [T, number] {
  const started = performance.now();
  const result = run();
  return [result, performance.now() - started];
}

// Hostile names force the hashed ids and label escaping onto every node.
const long = makeRegistry(chain("long", 10_000).map((s, i) => ({ ...s, name: `step ${i}`, after: i === 0 ? undefined : `step ${i - 1}` })));
const wide = makeRegistry([
  { flow: "wide", name: "fan", kind: "entrypoint" },
  ...Array.from({ length: 10_000 }, (_, i): FixtureStep => ({ flow: "wide", name: `w${i}`, after: "fan" })),
]);
const many = makeRegistry(Array.from({ length: 100 }, (_, f) => chain(`flow${f}`, 100)).flat());

test.each(["mermaid", "markdown", "dot", "json"] as DagFormat[])("a 10,000-step chain with quoted names as %s", (format) => {
  const [text, ms] = timed(() => generateDag("long", { registry: long, format }));
  expect(text).toContain("step 9999");
  expect(ms).toBeLessThan(1000);
});

test("a step with 10,000 successors, and 100 flows of 100 steps", () => {
  const [fan, fanMs] = timed(() => generateDag("wide", { registry: wide }));
  expect(fan.split("\n")).toHaveLength(10_002);
  const [all, allMs] = timed(() => generateDag(undefined, { registry: many, format: "dot" }));
  expect(all.match(/subgraph/g)).toHaveLength(100);
  expect(fanMs + allMs).toBeLessThan(1000);
});

test("validating 10,000 steps", () => {
  const [problems, ms] = timed(() => [...validateFlow("long", long), ...validateFlow("wide", wide)]);
  expect(problems).toEqual([]);
  expect(ms).toBeLessThan(1000);
});
