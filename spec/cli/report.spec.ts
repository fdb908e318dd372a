// `penstock report`: the packed package's bin writes or prints the page, reads the sites of a
// static extraction, and fails on bad arguments and unreadable logs with exit 2 and one line.
// (The page itself is checked in a browser: spec/report/report-page.spec.ts.)
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packedConsumer, repoRoot, type Consumer } from "../support/consumer";

let consumer: Consumer;

beforeAll(() => {
  consumer = packedConsumer(join(__dirname, "fixtures"));
  cpSync(join(repoRoot, "examples", "orders.mjs"), join(consumer.dir, "orders.mjs"));
});

afterAll(() => consumer?.remove());

// The data the page script reads, as the page embeds it.
function pageData(html: string): { source: string; flows: { name: string; steps: { name: string; source?: string; stats?: unknown }[] }[] } {
  const json = /<script type="application\/json" id="penstock-report-data">([^<]*)<\/script>/.exec(html);
  if (json === null) throw new Error("no embedded data in the page");
  return JSON.parse(json[1]!);
}

test("without --out it prints the page; without --logs it has no statistics", () => {
  const result = consumer.bin(["report", "orders.mjs"]);
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
  expect(result.stdout.startsWith("<!doctype html>\n")).toBe(true);
  const data = pageData(result.stdout);
  expect(data.source).toBe("none");
  expect(data.flows.map((flow) => flow.name)).toEqual(["orders"]);
  expect(data.flows[0]!.steps.every((step) => step.stats === undefined)).toBe(true);
});

test("--modules takes every argument up to the next option, or a comma-separated list", () => {
  for (const args of [["--modules", "orders.mjs", "refunds.cjs", "--title", "two"], ["--modules", "orders.mjs,refunds.cjs"], ["orders.mjs", "--modules", "refunds.cjs"]]) {
    const result = consumer.bin(["report", ...args]);
    expect({ args, status: result.status, stderr: result.stderr }).toEqual({ args, status: 0, stderr: "" });
    expect(pageData(result.stdout).flows.map((flow) => flow.name)).toEqual(["orders", "refunds"]);
  }
});

test("a directory is read statically: every node carries its registration site", () => {
  const result = consumer.bin(["report", "--modules", "esm", "--out", "out/esm.html", "--title", "shipping"]);
  expect(result).toEqual({ status: 0, stdout: "", stderr: expect.stringMatching(/^penstock: wrote out\/esm\.html \(1 flow, \d+ KiB\)\.\n$/) });
  const html = readFileSync(join(consumer.dir, "out", "esm.html"), "utf8");
  expect(html).toContain("<title>shipping</title>");
  expect(pageData(html).flows[0]!.steps.map(({ name, source }) => [name, source])).toEqual([
    ["pack", "esm/shipping.js:5:21"],
    ["print label", "esm/shipping.js:6:22"],
    ["ship", "esm/shipping.js:4:21"],
  ]);
});

test.each([
  [["report", "--out", "r.html"], "penstock report needs the modules that define your flows: --modules <files|dirs|globs>, e.g. penstock report --modules src --out report.html. Run penstock --help for the usage.\n"],
  [["report", "--modules", "orders.mjs", "--slowest=some"], '--slowest must be a whole number of flow calls (0 or more), not "some". Run penstock --help for the usage.\n'],
  [["report", "--modules", "orders.mjs", "--bogus"], "unknown option --bogus for penstock report. Run penstock --help for the usage.\n"],
  [["report", "--modules", "orders.mjs", "--out="], "--out needs a file name. Run penstock --help for the usage.\n"],
])("usage error %j: one line, exit 2", (args, message) => {
  expect(consumer.bin(args)).toEqual({ status: 2, stdout: "", stderr: `penstock: ${message}` });
});

test("a log file that does not exist: exit 2 naming it, and nothing written", () => {
  const result = consumer.bin(["report", "--modules", "orders.mjs", "--logs", "missing.log", "--out", "missing.html"]);
  expect(result).toEqual({ status: 2, stdout: "", stderr: "penstock: cannot read log file missing.log: no such file.\n" });
  expect(existsSync(join(consumer.dir, "missing.html"))).toBe(false);
});

test("penstock report --help prints the usage, with the options of report", () => {
  const result = consumer.bin(["report", "--help"]);
  expect(result.status).toBe(0);
  for (const word of ["penstock report --modules", "Options of report:", "--logs <files...>", "--title <text>", "--slowest <n>"]) expect(result.stdout).toContain(word);
});
