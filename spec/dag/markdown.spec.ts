// Markdown output: a heading and a Mermaid block per flow.
import { generateDag } from "../../lib/dag";
import { markdownText } from "../../lib/dag/markdown";
import { FIXTURES } from "./corpus";
import { makeRegistry, USER_UPDATE } from "./registry-fixture";

test("every flow: sorted sections separated by a blank line, each the one-flow Mermaid with entrypoints as stadiums", () => {
  expect(generateDag(undefined, { registry: makeRegistry(FIXTURES.twoFlows!), format: "markdown" })).toBe(
    "## orders\n\n" +
      "```mermaid\n" +
      "graph TD\n" +
      '    ghost --> n_8ceeea35["charge card"]\n' +
      '    receive(["receive"]) --> validate\n' +
      '    validate --> n_8ceeea35["charge card"]\n' +
      "    classDef unknown stroke-dasharray: 5 5\n" +
      "    class ghost unknown\n" +
      "```\n" +
      "\n" +
      "## refunds\n\n" +
      "```mermaid\n" +
      "graph TD\n" +
      '    receive(["receive"]) --> validate\n' +
      "    validate --> orders\n" +
      "```\n",
  );
});

test("decorate: false gives the plain one-flow Mermaid in each block", () => {
  const registry = makeRegistry(USER_UPDATE);
  expect(generateDag("user_update", { registry, format: "markdown", decorate: false })).toBe(
    `## user_update\n\n\`\`\`mermaid\n${generateDag("user_update", { registry })}\`\`\`\n`,
  );
});

test("one flow: its section, direction and decorations applied to the block", () => {
  const registry = makeRegistry(USER_UPDATE);
  const mermaid = generateDag("user_update", { registry, direction: "LR", decorate: true });
  expect(generateDag("user_update", { registry, format: "markdown", direction: "LR", decorate: true })).toBe(
    `## user_update\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n`,
  );
});

test("with nothing registered: an empty document", () => {
  expect(generateDag(undefined, { registry: makeRegistry(FIXTURES.empty!), format: "markdown" })).toBe("");
});

test.each([
  ["user_update", "user_update"],
  ["orders v2.1", "orders v2.1"],
  ["_private_", "\\_private\\_"],
  ["a*b* [c](d) <e> & #f `g` |h| ~i~ !", "a\\*b\\* \\[c\\](d) \\<e\\> \\& \\#f \\`g\\` \\|h\\| \\~i\\~ \\!"],
  ["back\\slash", "back\\\\slash"],
  ["two\nlines", "two\u240alines"],
])("a flow named %j has the heading text %j", (name, text) => {
  expect(markdownText(name)).toBe(text);
});
