// The report page in a real browser (Debian's Chromium, driven by playwright-core): the page
// `penstock report` writes from the demo's logs (the packed package's bin), and the live page
// flowReport() serves on a node:http route. Each must load with no console error and no request
// leaving it, draw every flow's nodes and edges, show a step's figures on a click, open a flow
// call's waterfall from its ID, and hold hostile strings as text with no script of theirs run.
import { appendFileSync, cpSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { configure, entrypoint, flow, flowReport, step, type FlowCallTrace } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { CHROMIUM_SETUP_TIMEOUT, launchChromium } from "../support/chromium";
import { packedConsumer, repoRoot, type Consumer } from "../support/consumer";
import { detailsOf, drawingOf, openWatched, searchCall } from "../support/report-page";

jest.setTimeout(120_000);

let browser: Browser;
let consumer: Consumer;

beforeAll(async () => {
  consumer = packedConsumer(join(__dirname, "fixtures"));
  cpSync(join(repoRoot, "examples", "orders.mjs"), join(consumer.dir, "orders.mjs"));
  browser = await launchChromium();
}, CHROMIUM_SETUP_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  consumer?.remove();
});

const ORDERS_STEPS = ["charge_payment", "place_order", "reserve_stock", "send_confirmation", "validate_order"];
const ORDERS_EDGES = [
  "charge_payment->send_confirmation",
  "place_order->validate_order",
  "reserve_stock->charge_payment",
  "validate_order->charge_payment",
  "validate_order->reserve_stock",
];

// What an attacker would write into a log line or a step name: markup, a script end tag,
// control characters and line separators.
const SCRIPT = "</script><script>window.__pwned = 1</script>";
const IMAGE = '<img src=x onerror="window.__pwned = 1">';
const CONTROLS = "bell\u0007 nul\u0000 esc\u001b[31m ls\u2028 ps\u2029 end";
const HUGE = `${SCRIPT}${"y".repeat(1 << 20)}`;

// A failure message must not print a megabyte: the huge string is compared by a stand-in.
function short(text: string | null): string | null {
  return text === HUGE ? "<HUGE>" : text !== null && text.length > 10_000 ? `<${text.length} other characters>` : text;
}

describe("the written report: penstock report --modules orders.mjs --logs app.log", () => {
  let url: string;
  let failedId: string;
  let hostileId: string;
  let stderr: string;

  beforeAll(() => {
    consumer.run("write-logs.mjs", ["app.log"]);
    const log = join(consumer.dir, "app.log");
    const ends = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .filter((record) => record.msg === "step.end" && record.kind === "entrypoint");
    failedId = ends.find((record) => record.outcome === "error").correlation_id;
    // A flow call of a flow no module declares, every name hostile; then lines that are not penstock's.
    hostileId = `${IMAGE}${SCRIPT}`;
    const base = { level: 30, time: Date.now(), flow: SCRIPT, correlation_id: hostileId };
    const lines = [
      { ...base, msg: "step.start", step: IMAGE, kind: "entrypoint", span_id: "s1" },
      { ...base, msg: "step.start", step: CONTROLS, kind: "step", span_id: "s2", parent_span_id: "s1" },
      { ...base, msg: "step.end", step: CONTROLS, kind: "step", span_id: "s2", parent_span_id: "s1", duration_ms: 2, outcome: "error", err: { message: `${SCRIPT}${IMAGE}${"x".repeat(1 << 20)}` } },
      { ...base, msg: "step.end", step: IMAGE, kind: "entrypoint", span_id: "s1", duration_ms: 3, outcome: "error", err: { message: SCRIPT } },
    ];
    appendFileSync(log, `${lines.map((line) => JSON.stringify(line)).join("\n")}\nnot json ${SCRIPT}\n{"msg":"hello from another logger"}\n`);
    const result = consumer.bin(["report", "--modules", "orders.mjs", "--logs", "app.log", "--out", "out/report.html"]);
    expect(result.status).toBe(0);
    stderr = result.stderr;
    url = pathToFileURL(join(consumer.dir, "out", "report.html")).href;
  });

  test("the command says what it wrote", () => {
    expect(stderr).toMatch(/^penstock: wrote out\/report\.html \(2 flows, \d+ KiB\)\.\n$/);
  });

  test("loads with no console error, no dialog and no request but the file itself", async () => {
    const { page, problems, close } = await openWatched(browser, url);
    expect(await page.evaluate(() => document.querySelectorAll("script:not([type])").length)).toBe(1);
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content")).toMatch(/^default-src 'none'; script-src 'sha256-/);
    expect(problems).toEqual([]);
    await close();
  });

  test("the demo flow's drawing has its five steps and five edges, with the logs' figures on them", async () => {
    const { page, problems, close } = await openWatched(browser, url);
    expect(await page.locator("#flow-1 h2").textContent()).toBe("flow orders");
    expect(await drawingOf(page, 1)).toEqual({ steps: ORDERS_STEPS, edges: ORDERS_EDGES });
    const [name, caption] = await page.locator('#flow-1 g.node[data-step="place_order"] text').allTextContents();
    expect(name).toBe("place_order");
    expect(caption).toMatch(/^9 calls · p95 [\d.]+ ms · 11\.1% errors$/);
    expect(problems).toEqual([]);
    await close();
  });

  test("clicking a node shows that step's figures and where it is registered", async () => {
    const { page, problems, close } = await openWatched(browser, url);
    await page.locator('#flow-1 g.node[data-step="validate_order"]').click();
    const details = await detailsOf(page, 1);
    expect(details.title).toBe("validate_order");
    expect(details.figures).toMatchObject({ kind: "step", "registered at": "orders.mjs:30:30", calls: "9", errors: "1" });
    expect(Object.keys(details.figures)).toEqual(expect.arrayContaining(["p50", "p95", "p99", "max", "mean"]));
    expect(await page.locator("#flow-1 g.node.selected").getAttribute("data-step")).toBe("validate_order");
    expect(problems).toEqual([]);
    await close();
  });

  test("a search by the first characters of a correlation ID opens that flow call's waterfall", async () => {
    const { page, problems, close } = await openWatched(browser, url);
    const found = await searchCall(page, failedId.slice(0, 8));
    expect(found).toMatchObject({ id: failedId, steps: ["place_order", "validate_order"], errors: ["order B-1 has no items", "order B-1 has no items"] });
    expect((await searchCall(page, "ffffffffffffffff0000")).id).toBe(failedId); // the one open stays open
    expect((await searchCall(page, "ffffffffffffffff0000")).result).toMatch(/^No flow call in this report has an ID starting with "ffffffffffffffff0000"/);
    expect(problems).toEqual([]);
    await close();
  });

  test("hostile names, IDs and error messages from the logs are text in the DOM, and no script of theirs runs", async () => {
    const { page, problems, close } = await openWatched(browser, url);
    expect(await page.locator("#flow-0 h2").textContent()).toBe(`flow ${SCRIPT}`);
    const drawn = await drawingOf(page, 0);
    expect(drawn.steps).toEqual([CONTROLS, IMAGE].sort());
    const found = await searchCall(page, hostileId);
    expect(found.id).toBe(hostileId);
    expect(found.steps).toEqual([IMAGE, CONTROLS]);
    // The log reader keeps the first 4096 characters of a message, and says how long it was.
    expect(found.errors[0]).toBe(SCRIPT);
    const message = `${SCRIPT}${IMAGE}${"x".repeat(1 << 20)}`;
    expect(short(found.errors[1]!) === short(`${message.slice(0, 4096)}… (${message.length} characters in all)`)).toBe(true);
    expect(found.errors[1]!.endsWith(`… (${message.length} characters in all)`)).toBe(true);
    expect(await page.evaluate(() => ({ pwned: (window as { __pwned?: unknown }).__pwned, images: document.images.length, scripts: document.scripts.length }))).toEqual({ pwned: undefined, images: 0, scripts: 2 });
    expect(problems).toEqual([]);
    await close();
  });
});

describe("the live page: flowReport() on a node:http route", () => {
  let server: Server;
  let url: string;
  let calls: FlowCallTrace[];

  beforeAll(async () => {
    resetPenstock();
    configure({ span: (_info, run) => run(), getCorrelationId: () => undefined });
    const checkout = entrypoint("checkout", async (cart: string[]) => {
      await price(cart);
      return pay(cart);
    }, { flow: "shop" });
    const price = step("price", async (cart: string[]) => cart.length * 2, { after: checkout });
    const pay = step("pay", async (cart: string[]) => {
      if (cart.length === 0) throw new Error("empty cart");
      return "paid";
    }, { after: price });
    for (let i = 0; i < 4; i++) await checkout(["tea"]);
    await checkout([]).catch(() => undefined);
    // A flow whose every name is hostile, one name a megabyte long.
    const hostile = flow(IMAGE);
    const start = hostile.entrypoint(SCRIPT, () => middle());
    const middle = hostile.step(CONTROLS, () => HUGE.length, { after: start });
    hostile.step(HUGE, () => undefined, { after: middle });
    start();
    calls = [
      {
        correlationId: `${IMAGE}-0001`,
        flow: "shop",
        entrypoint: "checkout",
        startedAt: Date.UTC(2026, 0, 1),
        durationMs: 12,
        outcome: "error",
        steps: [
          { step: "checkout", flow: "shop", kind: "entrypoint", spanId: "a", parentSpanId: undefined, depth: 0, offsetMs: 0, durationMs: 12, outcome: "error", error: HUGE },
          { step: "price", flow: "shop", kind: "step", spanId: "b", parentSpanId: "a", depth: 1, offsetMs: 1, durationMs: 4, outcome: "ok", error: undefined },
          { step: "pay", flow: "shop", kind: "step", spanId: "c", parentSpanId: "a", depth: 1, offsetMs: 6, durationMs: undefined, outcome: "unfinished", error: undefined },
        ],
      },
    ];
    server = createServer((request, response) => {
      if (request.url !== "/_penstock") {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(flowReport({ title: `dev ${SCRIPT}`, flows: ["shop", IMAGE], calls: { failed: calls } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_penstock`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    resetPenstock();
  });

  test("loads with no console error and no request but the page's own URL", async () => {
    const { page, problems, close } = await openWatched(browser, url);
    expect(await page.title()).toBe(`dev ${SCRIPT}`);
    expect(problems).toEqual([]);
    await close();
  });

  test("each flow's drawing has its nodes and edges", async () => {
    const { page, problems, close } = await openWatched(browser, url);
    expect(await drawingOf(page, 0)).toEqual({ steps: ["checkout", "pay", "price"], edges: ["checkout->price", "price->pay"] });
    const hostile = await drawingOf(page, 1);
    expect(hostile.steps.map(short)).toEqual([CONTROLS, HUGE, SCRIPT].sort().map(short));
    expect(hostile.edges).toHaveLength(2);
    expect(problems).toEqual([]);
    await close();
  });

  test("clicking a node shows the step's figures from flowStats()", async () => {
    const { page, problems, close } = await openWatched(browser, url);
    await page.locator('#flow-0 g.node[data-step="pay"]').click();
    const details = await detailsOf(page, 0);
    expect(details.title).toBe("pay");
    expect(details.figures).toMatchObject({ kind: "step", calls: "5", errors: "1", expected: "0" });
    expect(details.figures["registered at"]).toMatch(/^spec\/report\/report-page\.spec\.ts:\d+:\d+$/);
    expect(problems).toEqual([]);
    await close();
  });

  test("a search by correlation ID opens the waterfall of a flow call handed to flowReport()", async () => {
    const { page, problems, close } = await openWatched(browser, url);
    const found = await searchCall(page, IMAGE.slice(0, 10));
    expect({ ...found, errors: found.errors.map(short) }).toMatchObject({ id: `${IMAGE}-0001`, steps: ["checkout", "price", "pay"], errors: ["<HUGE>"] });
    expect(problems).toEqual([]);
    await close();
  });

  test("hostile names and a megabyte-long name and message are text in the DOM; no script of theirs runs", async () => {
    const { page, problems, close } = await openWatched(browser, url);
    await page.locator("#flow-1 g.node[data-step]").first().click();
    await searchCall(page, IMAGE);
    const texts = await page.evaluate(() => ({
      heading: document.querySelector("#flow-1 h2")!.textContent,
      cells: Array.from(document.querySelectorAll("#flow-1 .tables > div:first-child tbody tr td:first-child")).map((td) => td.textContent),
      pwned: (window as { __pwned?: unknown }).__pwned,
      images: document.images.length,
      scripts: document.scripts.length,
    }));
    expect({ ...texts, cells: texts.cells.map(short) }).toEqual({ heading: `flow ${IMAGE}`, cells: [CONTROLS, HUGE, SCRIPT].sort().map(short), pwned: undefined, images: 0, scripts: 2 });
    expect(problems).toEqual([]);
    await close();
  });
});

describe("flowReport() of the packed package", () => {
  test.each(["live.mjs", "live.cjs"])("%s: the page of the flows registered through the package", (script) => {
    const html = consumer.run(script);
    expect(html.startsWith("<!doctype html>\n")).toBe(true);
    expect(html).toContain(script === "live.mjs" ? "<h2>flow orders</h2>" : "<h2>flow shipping</h2>");
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[A-Za-z0-9+/]+=*';/);
  });
});
