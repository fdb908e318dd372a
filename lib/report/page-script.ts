// The report page's script, inlined in its one <script> element (allowed by the page's CSP
// through its hash). Plain DOM, no framework: it reads the embedded JSON, builds the tables,
// the step details and the waterfalls, and inserts every piece of data as text (textContent,
// setAttribute), never as markup. Kept free of backticks and "${" so it sits in String.raw.

export const PAGE_SCRIPT = String.raw`(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("penstock-report-data").textContent);

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  function duration(ms) {
    if (ms === undefined || ms === null) return "\u2013";
    if (ms === 0) return "0 ms";
    if (ms < 1) return Number((ms * 1000).toPrecision(3)) + " \u00b5s";
    if (ms < 1000) return Number(ms.toPrecision(3)) + " ms";
    return Number((ms / 1000).toPrecision(3)) + " s";
  }
  function table(headers, numeric) {
    var t = el("table"), head = add(el("thead"), el("tr")), body = el("tbody");
    headers.forEach(function (h, i) { add(head.firstChild, el("th", numeric[i] ? "num" : "", h)); });
    add(t, head, body);
    return { table: t, row: function (cells, onClick) {
      var tr = el("tr", onClick ? "clickable" : "");
      cells.forEach(function (c, i) { add(tr, c instanceof Node ? add(el("td"), c) : el("td", numeric[i] ? "num" : "", c)); });
      if (onClick) tr.addEventListener("click", onClick);
      add(body, tr);
      return tr;
    } };
  }
  function figures(pairs) {
    var dl = el("dl", "figures");
    pairs.forEach(function (p) { add(dl, el("dt", "", p[0]), el("dd", p[2] || "", p[1])); });
    return dl;
  }

  var traces = new Map();
  ["slowest", "failed", "unfinished"].forEach(function (list) {
    (data.calls[list] || []).forEach(function (trace) { if (!traces.has(trace.correlationId)) traces.set(trace.correlationId, trace); });
  });
  var searchInput = document.getElementById("search-id");
  var searchResult = document.getElementById("search-result");
  function idButton(id) {
    var b = el("button", "link", id);
    b.type = "button";
    b.addEventListener("click", function () { searchInput.value = id; search(id); });
    return b;
  }

  var meta = document.getElementById("report-meta");
  var flowCount = data.flows.length + (data.flows.length === 1 ? " flow" : " flows");
  var origin = data.source === "none" ? "no statistics (penstock report --logs <files> draws what ran)" : data.source === "live" ? "figures of this process (flowStats, diffDag)" : "figures from the logs";
  meta.textContent = flowCount + " \u00b7 " + origin + (data.origin ? ": " + data.origin : "") + " \u00b7 generated " + data.generatedAt;

  data.flows.forEach(function (flow, index) {
    var section = document.getElementById("flow-" + index);
    var steps = new Map(flow.steps.map(function (s) { return [s.name, s]; }));
    var details = section.querySelector(".step-details");
    var summary = section.querySelector(".flow-summary");
    var nodes = new Map();
    if (flow.flowCalls !== undefined) add(summary, el("p", "", flow.flowCalls + (flow.flowCalls === 1 ? " flow call" : " flow calls") + (flow.since ? " since " + flow.since : "")));
    if (flow.diff) {
      var found = el("ul", "drift");
      var edgeFinding = function (kind, words) {
        flow.diff[kind].forEach(function (e) {
          var li = add(el("li"), el("span", "kind", words), document.createTextNode(" " + e.from + " \u2192 " + e.to + (kind === "unexercised" ? "" : " (" + e.count + ")")));
          if (e.example) add(li, document.createTextNode(" e.g. "), idButton(e.example));
          add(found, li);
        });
      };
      edgeFinding("undeclared", "undeclared");
      edgeFinding("outOfOrder", "out of order");
      edgeFinding("unexercised", "unexercised");
      flow.diff.unpreceded.forEach(function (s) {
        var li = add(el("li"), el("span", "kind", "unpreceded"), document.createTextNode(" " + s.step + " (" + s.count + ")"));
        if (s.example) add(li, document.createTextNode(" e.g. "), idButton(s.example));
        add(found, li);
      });
      add(summary, found.firstChild ? found : el("p", "empty", "No drift: every call ran in the declared order."));
    }

    function show(name) {
      var step = steps.get(name);
      if (!step) return;
      nodes.forEach(function (g, n) { g.classList.toggle("selected", n === name); });
      details.textContent = "";
      add(details, el("h3", "", step.name));
      var pairs = [["kind", step.kind], ["registered at", step.source || "\u2013"]];
      var s = step.stats;
      if (s) {
        pairs.push(["calls", s.calls], ["errors", s.errors]);
        if (s.expected !== undefined) pairs.push(["expected", s.expected]);
        ["p50", "p95", "p99", "max", "mean"].forEach(function (q) { pairs.push([q, duration(s.durationMs[q])]); });
      }
      if (step.drift) pairs.push(["drift", step.drift]);
      add(details, figures(pairs));
      if (!s) add(details, el("p", "empty", step.kind === "unknown" ? "Not a registered step: a name some after option refers to." : "No figures: this report has no statistics for the flow."));
      var around = flow.edges.filter(function (e) { return e.from === name || e.to === name; });
      if (around.length) {
        var list = el("ul", "drift");
        around.forEach(function (e) { add(list, el("li", "", e.from + " \u2192 " + e.to + (e.count !== undefined ? " \u00b7 " + e.count : "") + (e.drift ? " \u00b7 " + e.drift : ""))); });
        add(details, el("h3", "", "edges"), list);
      }
    }

    var ids = new Map(flow.nodeIds);
    section.querySelectorAll("svg g.node").forEach(function (g) {
      var title = g.querySelector("title");
      var name = title ? ids.get(title.textContent) : undefined;
      if (name === undefined) return;
      nodes.set(name, g);
      g.classList.add("step");
      g.setAttribute("data-step", name);
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", name);
      g.addEventListener("click", function () { show(name); });
      g.addEventListener("keydown", function (event) { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); show(name); } });
    });

    var tables = section.querySelector(".tables");
    var stepTable = table(["step", "kind", "calls", "errors", "expected", "p50", "p95", "p99", "max", "registered at"], [0, 0, 1, 1, 1, 1, 1, 1, 1, 0]);
    flow.steps.forEach(function (step) {
      var s = step.stats, d = s ? s.durationMs : {};
      stepTable.row([step.name, step.kind, s ? s.calls : "\u2013", s ? s.errors : "\u2013", s && s.expected !== undefined ? s.expected : "\u2013", duration(d.p50), duration(d.p95), duration(d.p99), duration(d.max), step.source || "\u2013"], function () { show(step.name); });
    });
    var edgeTable = table(["from", "to", "count", "drift"], [0, 0, 1, 0]);
    flow.edges.forEach(function (e) { edgeTable.row([e.from, e.to, e.count !== undefined ? e.count : "\u2013", e.drift || ""]); });
    add(tables, add(el("div"), el("h3", "", "steps"), stepTable.table), add(el("div"), el("h3", "", "edges"), flow.edges.length ? edgeTable.table : el("p", "empty", "No edges.")));
  });

  var waterfall = document.getElementById("waterfall");
  function openWaterfall(trace) {
    waterfall.hidden = false;
    waterfall.textContent = "";
    waterfall.setAttribute("data-correlation-id", trace.correlationId);
    add(waterfall, add(el("h3", ""), document.createTextNode("flow call "), el("code", "", trace.correlationId)));
    add(waterfall, figures([["flow", trace.flow], ["entrypoint", trace.entrypoint], ["started", new Date(trace.startedAt).toISOString()], ["duration", duration(trace.durationMs)], ["outcome", trace.outcome, "outcome-" + trace.outcome]]));
    var end = trace.durationMs || 0;
    trace.steps.forEach(function (s) { end = Math.max(end, s.offsetMs + (s.durationMs || 0)); });
    var rows = el("div", "wf-rows");
    trace.steps.forEach(function (s) {
      var row = el("div", "wf-row outcome-row-" + s.outcome);
      var name = el("span", "wf-name", s.step + (s.flow !== trace.flow ? " (" + s.flow + ")" : ""));
      name.style.paddingLeft = Math.min(s.depth, 20) * 14 + "px";
      var bar = el("span", "wf-bar outcome-" + s.outcome);
      var left = end > 0 ? (s.offsetMs / end) * 100 : 0;
      var width = s.durationMs === undefined ? 100 - left : end > 0 ? (s.durationMs / end) * 100 : 100;
      bar.style.left = left + "%";
      bar.style.width = Math.max(width, 0.3) + "%";
      var time = el("span", "wf-time", "+" + duration(s.offsetMs) + " \u00b7 " + duration(s.durationMs) + " \u00b7 ");
      add(time, el("span", "outcome-" + s.outcome, s.outcome));
      add(rows, add(row, name, add(el("span", "wf-track"), bar), time));
      if (s.error) add(rows, el("div", "wf-error", s.error));
    });
    add(waterfall, rows);
    waterfall.scrollIntoView({ block: "nearest" });
  }

  function search(query) {
    var q = query.trim().toLowerCase();
    searchResult.textContent = "";
    if (!q) return;
    var matches = [];
    traces.forEach(function (trace, id) { if (id.toLowerCase().indexOf(q) === 0) matches.push(trace); });
    matches.sort(function (a, b) { return (b.correlationId.toLowerCase() === q) - (a.correlationId.toLowerCase() === q); });
    if (!matches.length) {
      searchResult.textContent = "No flow call in this report has an ID starting with " + JSON.stringify(query.trim()) + " (it lists the slowest, failed and unfinished calls).";
      return;
    }
    openWaterfall(matches[0]);
    searchResult.textContent = matches.length === 1 ? "1 flow call" : matches.length + " flow calls match; showing the first. ";
    matches.slice(1, 10).forEach(function (t) { add(searchResult, idButton(t.correlationId), document.createTextNode(" ")); });
  }
  document.getElementById("search").addEventListener("submit", function (event) { event.preventDefault(); search(searchInput.value); });

  var lists = document.getElementById("call-lists");
  var any = false;
  [["slowest", "slowest flow calls"], ["failed", "failed flow calls"], ["unfinished", "unfinished flow calls"]].forEach(function (pair) {
    var calls = data.calls[pair[0]] || [];
    if (!calls.length) return;
    any = true;
    var t = table(["correlation ID", "flow", "entrypoint", "started", "duration", "outcome"], [0, 0, 0, 0, 1, 0]);
    calls.forEach(function (trace) {
      var row = t.row([el("code", "", trace.correlationId), trace.flow, trace.entrypoint, new Date(trace.startedAt).toISOString(), duration(trace.durationMs), trace.outcome], function () { openWaterfall(trace); });
      row.lastChild.className = "outcome-" + trace.outcome;
    });
    add(lists, add(el("div", "calls-" + pair[0]), el("h3", "", pair[1]), t.table));
  });
  if (!any) add(lists, el("p", "empty", data.source === "logs" ? "No flow calls in the logs." : "No flow calls: the slowest and failed calls, with their waterfalls, are read from logs (penstock report --logs <files>)."));
  document.body.setAttribute("data-ready", "true");
})();
`;
