// JSON output: the documented version-1 schema, sorted, pretty-printed, trailing newline.
import { generateDag } from "../../lib/dag";
import type { DagJson } from "../../lib/dag/json";
import { FIXTURES } from "./corpus";
import { makeRegistry } from "./registry-fixture";

test("a small flow, byte for byte: registered steps and unknown names (kind \"unknown\"), `after` as declared, edges deduplicated", () => {
  const registry = makeRegistry([...FIXTURES.duplicates!, { flow: "f", name: "c", after: ["b", "ghost"] }]);
  expect(generateDag("f", { registry, format: "json" })).toBe(`{
  "version": 1,
  "flows": [
    {
      "name": "f",
      "entrypoints": [
        "a"
      ],
      "steps": [
        {
          "name": "a",
          "kind": "entrypoint",
          "after": []
        },
        {
          "name": "b",
          "kind": "step",
          "after": [
            "a",
            "a",
            "b"
          ]
        },
        {
          "name": "c",
          "kind": "step",
          "after": [
            "b",
            "ghost"
          ]
        },
        {
          "name": "ghost",
          "kind": "unknown",
          "after": []
        }
      ],
      "edges": [
        {
          "from": "a",
          "to": "b"
        },
        {
          "from": "b",
          "to": "b"
        },
        {
          "from": "b",
          "to": "c"
        },
        {
          "from": "ghost",
          "to": "c"
        }
      ]
    }
  ]
}
`);
});

test("every flow, sorted, each with sorted entrypoints, steps and edges", () => {
  const registry = makeRegistry([...FIXTURES.twoFlows!, { flow: "orders", name: "admin", kind: "entrypoint" }]);
  const document = JSON.parse(generateDag(undefined, { registry, format: "json" })) as DagJson;
  expect(document).toEqual({
    version: 1,
    flows: [
      {
        name: "orders",
        entrypoints: ["admin", "receive"],
        steps: [
          { name: "admin", kind: "entrypoint", after: [] },
          { name: "charge card", kind: "step", after: ["validate", "ghost"] },
          { name: "ghost", kind: "unknown", after: [] },
          { name: "receive", kind: "entrypoint", after: [] },
          { name: "validate", kind: "step", after: ["receive"] },
        ],
        edges: [
          { from: "ghost", to: "charge card" },
          { from: "receive", to: "validate" },
          { from: "validate", to: "charge card" },
        ],
      },
      {
        name: "refunds",
        entrypoints: ["receive"],
        steps: [
          { name: "orders", kind: "step", after: ["validate"] },
          { name: "receive", kind: "entrypoint", after: [] },
          { name: "validate", kind: "step", after: ["receive"] },
        ],
        edges: [
          { from: "receive", to: "validate" },
          { from: "validate", to: "orders" },
        ],
      },
    ],
  });
});

test("any name survives a round trip, lone surrogates included", () => {
  const registry = makeRegistry(FIXTURES.hostile!);
  const text = generateDag("hostile", { registry, format: "json" });
  const names = (JSON.parse(text) as DagJson).flows[0]!.steps.map((s) => s.name);
  expect(new Set(names)).toEqual(new Set(FIXTURES.hostile!.map((s) => s.name)));
  expect(text).toContain('"lone\\ud800"');
});

test("with nothing registered: no flows", () => {
  expect(generateDag(undefined, { registry: makeRegistry(FIXTURES.empty!), format: "json" })).toBe('{\n  "version": 1,\n  "flows": []\n}\n');
});
