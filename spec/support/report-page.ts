// Test support: a page opened in Chromium with everything that would make it unfit watched:
// console errors and warnings, uncaught errors, dialogs (alert, confirm), and every request
// other than the page itself (answered with an abort, so nothing leaves the machine).
import type { Browser, Page } from "playwright-core";

export interface WatchedPage {
  readonly page: Page;
  /** What went wrong so far, one line each; [] for a page that is fit. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** Opens `url` in a fresh context and waits until the page script has run (body[data-ready]). */
export async function openWatched(browser: Browser, url: string): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  page.on("dialog", (dialog) => {
    problems.push(`dialog ${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("request", (request) => {
    if (request.url() !== url) problems.push(`request: ${request.method()} ${request.url().slice(0, 200)}`);
  });
  await context.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url);
  await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
  return { page, problems, close: () => context.close() };
}

/** The steps the drawing of flow section `index` made clickable, and its edges' titles. */
export async function drawingOf(page: Page, index: number): Promise<{ steps: string[]; edges: string[] }> {
  return page.evaluate((i) => {
    const svg = document.querySelector(`#flow-${i} svg`)!;
    return {
      steps: Array.from(svg.querySelectorAll("g.node[data-step]")).map((g) => g.getAttribute("data-step")!).sort(),
      edges: Array.from(svg.querySelectorAll("g.edge > title")).map((t) => t.textContent!).sort(),
    };
  }, index);
}

/** The figures of the step details panel of flow section `index`: its title and each dt -> dd. */
export async function detailsOf(page: Page, index: number): Promise<{ title: string; figures: Record<string, string> }> {
  return page.evaluate((i) => {
    const aside = document.querySelector(`#flow-${i} .step-details`)!;
    const figures: Record<string, string> = {};
    for (const dt of Array.from(aside.querySelectorAll("dt"))) figures[dt.textContent!] = dt.nextElementSibling!.textContent!;
    return { title: aside.querySelector("h3")?.textContent ?? "", figures };
  }, index);
}

/** Types `query` in the search box and submits it; resolves with the open waterfall. */
export async function searchCall(page: Page, query: string): Promise<{ id: string | null; steps: string[]; errors: string[]; result: string }> {
  await page.fill("#search-id", query);
  await page.press("#search-id", "Enter");
  return page.evaluate(() => {
    const waterfall = document.getElementById("waterfall")!;
    return {
      id: waterfall.hidden ? null : waterfall.getAttribute("data-correlation-id"),
      steps: Array.from(waterfall.querySelectorAll(".wf-name")).map((n) => n.textContent!),
      errors: Array.from(waterfall.querySelectorAll(".wf-error")).map((n) => n.textContent!),
      result: document.getElementById("search-result")!.textContent!,
    };
  });
}
