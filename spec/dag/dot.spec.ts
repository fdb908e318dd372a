// DOT output: declarations, marked entrypoints, escaping, one cluster per flow.
import { generateDag } from "../../lib/dag";
import { dotLabel, dotString, isPlainDotId } from "../../lib/dag/dot";
import { FIXTURES } from "./corpus";
import { makeRegistry } from "./registry-fixture";

const HEAD = "    rankdir=TB;\n    node [shape=box, style=rounded];\n";

test("one flow: every node declared, entrypoints bold with a double border, edges sorted", () => {
  expect(generateDag("user_update", { registry: makeRegistry(FIXTURES.withIsolated!), format: "dot" })).toBe(
    'digraph "user_update" {\n' +
      HEAD +
      '    "archive";\n' +
      '    "audit";\n' +
      '    "check_permissions";\n' +
      '    "load_user";\n' +
      '    "receive_request" [style="rounded,bold", peripheries=2];\n' +
      '    "send_notification";\n' +
      '    "update_user";\n' +
      '    "validate_input";\n' +
      '    "check_permissions" -> "load_user";\n' +
      '    "load_user" -> "update_user";\n' +
      '    "receive_request" -> "check_permissions";\n' +
      '    "receive_request" -> "validate_input";\n' +
      '    "update_user" -> "send_notification";\n' +
      '    "validate_input" -> "load_user";\n' +
      "}\n",
  );
});

test("direction LR is rankdir=LR", () => {
  expect(generateDag("ping", { registry: makeRegistry(FIXTURES.ping!), format: "dot", direction: "LR" })).toBe(
    'digraph "ping" {\n    rankdir=LR;\n    node [shape=box, style=rounded];\n    "ping" [style="rounded,bold", peripheries=2];\n}\n',
  );
});

test("quotes, backslashes, entities, %-names and control characters are escaped; unknown names are dashed", () => {
  expect(generateDag("g", { registry: makeRegistry(FIXTURES.dotNames!), format: "dot" })).toBe(
    String.raw`digraph "g" {` +
      "\n" +
      HEAD +
      String.raw`    "n_b668723a" [label="%total", style="rounded,bold", peripheries=2];
    "n_28e4c710" [label="a␊b"];
    "a&b" [label="a&amp;b"];
    "back\\slash" [label="back\\slash"];
    "ghost" [style="rounded,dashed"];
    "say \"hi\"";
    "n_b668723a" -> "say \"hi\"";
    "back\\slash" -> "a&b";
    "ghost" -> "a&b";
    "say \"hi\"" -> "back\\slash";
}
`,
  );
});

test("every flow: one cluster each, node ids <flow>/<step> so shared names stay apart", () => {
  expect(generateDag(undefined, { registry: makeRegistry(FIXTURES.twoFlows!), format: "dot" })).toBe(
    'digraph "penstock" {\n' +
      HEAD +
      '    subgraph "cluster_orders" {\n' +
      '        label="orders";\n' +
      '        "orders/charge card" [label="charge card"];\n' +
      '        "orders/ghost" [label="ghost", style="rounded,dashed"];\n' +
      '        "orders/receive" [label="receive", style="rounded,bold", peripheries=2];\n' +
      '        "orders/validate" [label="validate"];\n' +
      '        "orders/ghost" -> "orders/charge card";\n' +
      '        "orders/receive" -> "orders/validate";\n' +
      '        "orders/validate" -> "orders/charge card";\n' +
      "    }\n" +
      '    subgraph "cluster_refunds" {\n' +
      '        label="refunds";\n' +
      '        "refunds/orders" [label="orders"];\n' +
      '        "refunds/receive" [label="receive", style="rounded,bold", peripheries=2];\n' +
      '        "refunds/validate" [label="validate"];\n' +
      '        "refunds/receive" -> "refunds/validate";\n' +
      '        "refunds/validate" -> "refunds/orders";\n' +
      "    }\n" +
      "}\n",
  );
});

test("with nothing registered it is an empty digraph", () => {
  expect(generateDag(undefined, { registry: makeRegistry(FIXTURES.empty!), format: "dot" })).toBe(`digraph "penstock" {\n${HEAD}}\n`);
});

test("escaping helpers", () => {
  expect(dotString('a"b\\c\nd')).toBe(String.raw`"a\"b\\c\nd"`);
  expect(dotLabel("x&y\\N\u0007")).toBe(String.raw`"x&amp;y\\N␇"`);
  expect([isPlainDotId("a b"), isPlainDotId("%x"), isPlainDotId("a\tb"), isPlainDotId("x%")]).toEqual([true, false, false, true]);
});
