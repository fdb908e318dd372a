// Large flows draw and validate completely, without deep recursion (their speed is measured
// in bench/, not asserted here).
import { generateDag, validateFlow, type DagFormat } from "../../lib/dag";
import { chain, makeRegistry, type FixtureStep } from "./registry-fixture";

// Hostile names force the hashed ids and label escaping onto every node.
const long = makeRegistry(chain("long", 10_000).map((s, i) => ({ ...s, name: `step ${i}`, after: i === 0 ? undefined : `step ${i - 1}` })));
const wide = makeRegistry([
  { flow: "wide", name: "fan", kind: "entrypoint" },
  ...Array.from({ length: 10_000 }, (_, i): FixtureStep => ({ flow: "wide", name: `w${i}`, after: "fan" })),
]);
const many = makeRegistry(Array.from({ length: 100 }, (_, f) => chain(`flow${f}`, 100)).flat());

test.each(["mermaid", "markdown", "dot", "json"] as DagFormat[])("a 10,000-step chain with quoted names as %s has every step", (format) => {
  const text = generateDag("long", { registry: long, format });
  for (const i of [0, 1, 5000, 9998, 9999]) expect(text).toContain(`step ${i}`);
});

test("a 10,000-step chain in Mermaid has 9,999 edges", () => {
  expect(generateDag("long", { registry: long }).split("\n").filter((line) => line.includes(" --> "))).toHaveLength(9_999);
});

test("a step with 10,000 successors, and 100 flows of 100 steps", () => {
  expect(generateDag("wide", { registry: wide }).split("\n")).toHaveLength(10_002);
  expect(generateDag(undefined, { registry: many, format: "dot" }).match(/subgraph/g)).toHaveLength(100);
});

test("validating 10,000 steps finds nothing wrong in sound flows, and the one cycle in a 10,000-step ring", () => {
  expect([...validateFlow("long", long), ...validateFlow("wide", wide)]).toEqual([]);
  const ring = makeRegistry([
    { flow: "ring", name: "start", kind: "entrypoint" },
    ...Array.from({ length: 10_000 }, (_, i): FixtureStep => ({ flow: "ring", name: `r${i}`, after: i === 0 ? ["start", "r9999"] : `r${i - 1}` })),
  ]);
  const problems = validateFlow("ring", ring);
  expect(problems.map((p) => p.code)).toEqual(["CYCLE"]);
  expect(problems[0]!.cycle).toHaveLength(10_000);
});
