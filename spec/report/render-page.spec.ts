// The page as text: the embedded JSON cannot end its element, the CSP names the one script the
// page runs, flowReport() checks its options at the door, and a drawing with drift back up the
// flow (a cycle the declarations do not have) is still drawn, every edge once.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { configure, entrypoint, flowReport, isPenstockError, step } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { embeddedJson } from "../../lib/report/escape";

beforeEach(() => {
  resetPenstock();
  configure({ span: (_info, run) => run(), getCorrelationId: () => undefined });
});
afterAll(() => resetPenstock());

// jsdom ships no types; the spec needs only a parsed document (scripts are not run).
const { JSDOM } = require("jsdom") as { JSDOM: new (html: string) => { window: Window } };

function rejection(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isPenstockError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a PenstockError");
}

test("embedded JSON holds no <, >, & or line separator, and parses back to the value", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (text) => {
      const json = embeddedJson({ text, list: [text, "</script><!--"] });
      expect(json).not.toMatch(/[<>&\u2028\u2029]/);
      expect(JSON.parse(json)).toEqual({ text, list: [text, "</script><!--"] });
    }),
  );
});

test("the CSP allows exactly the page's own script, by its SHA-256, and nothing to load", () => {
  entrypoint("</script><script>alert(1)</script>", () => undefined, { flow: "<!--" });
  const html = flowReport();
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)];
  expect(scripts.map((match) => match[0].slice(0, match[0].indexOf(">") + 1))).toEqual(['<script type="application/json" id="penstock-report-data">', "<script>"]);
  expect(html.match(/<\/script/gi)).toHaveLength(2);
  const hash = createHash("sha256").update(scripts[1]![1]!, "utf8").digest("base64");
  const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1];
  expect(policy).toBe(`default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`);
});

test("flowReport() rejects bad options with a PenstockError naming the field", () => {
  entrypoint("go", () => undefined, { flow: "f" });
  expect(rejection(() => flowReport({ flows: ["nope"] }))).toMatchObject({ code: "UNKNOWN_FLOW" });
  expect(rejection(() => flowReport({ title: 3 } as never))).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/^flowReport\(options\)\.title: /) });
  expect(rejection(() => flowReport({ colour: "red" } as never))).toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining('flowReport(options) has unknown option "colour"') });
  expect(rejection(() => flowReport({ calls: { failed: [{ correlationId: 1 }] } } as never))).toMatchObject({
    code: "INVALID_ARGUMENT",
    message: expect.stringMatching(/^flowReport\(options\)\.calls\.failed\[0\]\.correlationId: /),
  });
  expect(rejection(() => flowReport("f" as never))).toMatchObject({ code: "INVALID_ARGUMENT", message: "flowReport(options) must be an object, not a string." });
});

test("a call back up the flow and a step calling itself: drawn, marked undeclared, every edge once", async () => {
  let depth = 0;
  const start = entrypoint("start", async () => load(), { flow: "loops" });
  const load = step("load", async (): Promise<void> => save(), { after: start });
  const save = step(
    "save",
    async (): Promise<void> => {
      if (depth++ < 2) await load(); // save -> load: against the drawn order
      await save2();
    },
    { after: load },
  );
  const save2 = step("save2", async (): Promise<void> => (depth++ < 4 ? save2() : undefined), { after: save });
  await start();
  const html = flowReport();
  const document = new JSDOM(html).window.document;
  const titles = Array.from(document.querySelectorAll("#flow-0 svg g.edge > title")).map((title) => (title as Element).textContent);
  expect(titles.sort()).toEqual(["load->save", "save->load", "save->save2", "save2->save2", "start->load"]);
  const data = JSON.parse(document.getElementById("penstock-report-data")!.textContent!);
  expect(data.flows[0].edges.filter((edge: { drift?: string }) => edge.drift === "undeclared").map((edge: { from: string; to: string }) => `${edge.from}->${edge.to}`)).toEqual(["save->load", "save2->save2"]);
  expect(document.querySelectorAll("#flow-0 svg g.node")).toHaveLength(4);
});
