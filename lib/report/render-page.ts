// renderReport: the report model as one self-contained HTML document. Nothing is fetched: the
// stylesheet, the script and the drawings are inline, and the page's CSP forbids any request.
import { createHash } from "node:crypto";
import { visibleText } from "../dag/text";
import { embeddedJson, escapeMarkup } from "./escape";
import type { ReportModel } from "./model";
import { PAGE_SCRIPT } from "./page-script";
import { PAGE_STYLE } from "./page-style";

let scriptHash: string | undefined;

/**
 * The page's Content-Security-Policy: nothing may load (`default-src 'none'`), only the page's
 * own script runs (by its hash), styles are inline, images only `data:`.
 */
export function reportPolicy(): string {
  scriptHash ??= createHash("sha256").update(PAGE_SCRIPT, "utf8").digest("base64");
  return `default-src 'none'; script-src 'sha256-${scriptHash}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
}

// What the script reads back: the model without the drawings (they are in the markup already).
function pageData(model: ReportModel): unknown {
  return {
    title: model.title,
    generatedAt: model.generatedAt,
    source: model.source,
    ...(model.origin === undefined ? {} : { origin: model.origin }),
    flows: model.flows.map((flow) => ({
      name: flow.name,
      nodeIds: flow.nodeIds,
      steps: flow.steps,
      edges: flow.edges,
      ...(flow.stats === undefined ? {} : { flowCalls: flow.stats.flowCalls, since: flow.stats.since }),
      ...(flow.diff === undefined ? {} : { diff: flow.diff }),
    })),
    calls: model.calls,
  };
}

/** Text for the markup this function writes itself: one line, visible, escaped. */
function text(value: string): string {
  return escapeMarkup(visibleText(value));
}

/**
 * The report page of `model`: one HTML document, UTF-8, that needs no network. Every string of
 * the model reaches the page as escaped text: in the markup written here, in the drawings, and
 * in the embedded JSON the page script reads and inserts with textContent.
 */
export function renderReport(model: ReportModel): string {
  const nav = model.flows.map((flow, i) => `<a href="#flow-${i}">${text(flow.name)}</a>`).join("");
  const flows = model.flows
    .map(
      (flow, i) =>
        `<section class="flow" id="flow-${i}"><h2>flow ${text(flow.name)}</h2><div class="flow-summary"></div>` +
        `<div class="flow-body"><figure class="drawing">${flow.svg}</figure>` +
        `<aside class="step-details" aria-live="polite"><p class="hint">Click a step in the drawing (or a row below) to see its figures.</p></aside></div>` +
        `<div class="tables"></div></section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${reportPolicy()}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="penstock">
<link rel="icon" href="data:,">
<title>${text(model.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>${text(model.title)}</h1><p class="meta" id="report-meta"></p>
<form id="search" role="search" autocomplete="off"><label for="search-id">Flow call</label><input id="search-id" type="search" placeholder="correlation ID, or its first characters" spellcheck="false"><button type="submit">Find</button><output id="search-result" for="search-id"></output></form>
</header>
<nav aria-label="flows">${nav}</nav>
<main>
${flows}
<section id="calls"><h2>Flow calls</h2><div id="call-lists"></div><div id="waterfall" hidden></div></section>
</main>
<script type="application/json" id="penstock-report-data">${embeddedJson(pageData(model))}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
