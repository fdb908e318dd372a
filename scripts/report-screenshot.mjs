// docs/report.png: the report page of the demo flow, as `penstock report` writes it from the
// demo's logs, opened in Debian's Chromium (playwright-core) with a step clicked and the slowest
// flow call's waterfall open. Run `npm run docs:report` (it builds first); needs /usr/bin/chromium
// (apt-get install chromium) or PENSTOCK_CHROMIUM.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pino from "pino";
import { chromium } from "playwright-core";
import { configure, loggingBackend } from "penstock";
import { placeOrder } from "../examples/orders.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "penstock-report-"));
// Next to the repository's files, so that the page names it as a user's would be named.
const log = join(root, "orders-demo.log");
const page = join(scratch, "report.html");

try {
  // The demo's traffic: good orders, one with an item out of stock, one with none.
  configure(loggingBackend({ logger: pino({ base: undefined }, pino.destination({ dest: log, sync: true })) }));
  for (let i = 1; i <= 6; i++) await placeOrder({ id: `A-${1000 + i}`, customer: `cust-${i}`, items: [{ sku: "tea", quantity: 1 }], total: 4.5 });
  for (const order of [{ id: "B-2001", customer: "cust-7", items: [], total: 0 }, { id: "B-2002", customer: "cust-8", items: [{ sku: "mug", quantity: 9 }], total: 81 }]) {
    await placeOrder(order).catch(() => undefined);
  }
  execFileSync(process.execPath, [join(root, "dist", "cli.js"), "report", "--modules", "examples/orders.mjs", "--logs", "orders-demo.log", "--out", page, "--title", "orders demo"], { cwd: root, stdio: "inherit" });

  const browser = await chromium.launch({ executablePath: process.env.PENSTOCK_CHROMIUM || "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-background-networking"] });
  try {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForSelector("body[data-ready]");
    await tab.locator('g.node[data-step="charge_payment"]').click();
    const slowest = await tab.locator(".calls-slowest tbody tr code").first().textContent();
    await tab.fill("#search-id", slowest.slice(0, 8));
    await tab.press("#search-id", "Enter");
    await tab.screenshot({ path: join(root, "docs", "report.png"), fullPage: true });
  } finally {
    await browser.close();
  }
  console.log("wrote docs/report.png");
} finally {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(log, { force: true });
}
