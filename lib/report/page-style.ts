// The report page's stylesheet, inlined in its <style> element.

export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #1f5fbf; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: var(--bg); }
header { padding: 16px 24px 12px; background: #fff; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: end; }
header h1 { margin: 0; font-size: 20px; overflow-wrap: anywhere; }
header .meta { margin: 0; color: var(--muted); flex: 1 1 300px; overflow-wrap: anywhere; }
form[role="search"] { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
form[role="search"] input { width: 24em; max-width: 60vw; padding: 5px 8px; font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; border: 1px solid var(--line); border-radius: 4px; }
button { font: inherit; cursor: pointer; border: 1px solid var(--line); background: #fff; border-radius: 4px; padding: 4px 10px; }
button.link { border: 0; background: none; padding: 0; color: var(--accent); text-decoration: underline; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; overflow-wrap: anywhere; text-align: left; }
#search-result { color: var(--muted); flex-basis: 100%; overflow-wrap: anywhere; }
nav { padding: 8px 24px; display: flex; flex-wrap: wrap; gap: 6px 16px; }
nav a { color: var(--accent); overflow-wrap: anywhere; }
main { padding: 0 24px 32px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 18px; margin: 16px 0; }
h2 { font-size: 17px; margin: 4px 0 8px; overflow-wrap: anywhere; }
h3 { font-size: 14px; margin: 12px 0 6px; overflow-wrap: anywhere; }
.flow-body { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.drawing { margin: 0; flex: 1 1 420px; overflow: auto; max-height: 80vh; border: 1px solid var(--line); border-radius: 6px; padding: 8px; background: #fff; }
.drawing svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
.drawing g.node.step { cursor: pointer; }
.drawing g.node.step > * { pointer-events: all; }
.drawing g.node.step:hover > :is(rect, polygon, path, ellipse), .drawing g.node.step:focus > :is(rect, polygon, path, ellipse) { stroke: var(--accent); stroke-width: 2.5; }
.drawing g.node.selected > :is(rect, polygon, path, ellipse) { stroke: var(--accent); stroke-width: 3; }
.drawing g.node:focus { outline: none; }
.step-details { flex: 0 1 300px; min-width: 240px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: #fbfcfd; }
.step-details h3 { margin-top: 0; }
.hint, .empty { color: var(--muted); }
dl.figures { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0; }
dl.figures dt { color: var(--muted); }
dl.figures dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.drift { margin: 6px 0; padding-left: 18px; }
.drift li { overflow-wrap: anywhere; }
.drift .kind { font-weight: 600; color: #b3261e; }
table { border-collapse: collapse; margin: 4px 0 10px; font-size: 13px; }
th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
td { max-width: 48ch; overflow-wrap: anywhere; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.clickable { cursor: pointer; }
tr.clickable:hover { background: #eef3fb; }
.tables { display: flex; flex-wrap: wrap; gap: 0 32px; }
.outcome-ok { color: #1b7f3b; }
.outcome-error { color: #b3261e; }
.outcome-expected { color: #8a5a00; }
.outcome-unfinished, .outcome-abandoned { color: var(--muted); }
#waterfall { margin-top: 12px; border-top: 2px solid var(--line); padding-top: 8px; }
.wf-row { display: grid; grid-template-columns: minmax(160px, 28%) 1fr 150px; gap: 8px; align-items: center; padding: 2px 0; border-bottom: 1px dotted var(--line); }
.wf-name { overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.wf-track { position: relative; height: 14px; background: #f0f2f5; border-radius: 3px; }
.wf-bar { position: absolute; top: 1px; bottom: 1px; min-width: 2px; border-radius: 2px; background: #4c8bf5; }
.wf-bar.outcome-error { background: #d93025; }
.wf-bar.outcome-expected { background: #e8a317; }
.wf-bar.outcome-unfinished, .wf-bar.outcome-abandoned { background: repeating-linear-gradient(45deg, #9aa3b2, #9aa3b2 4px, #c5cbd6 4px, #c5cbd6 8px); }
.wf-time { font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
.wf-error { grid-column: 1 / -1; color: #b3261e; font-size: 12px; overflow-wrap: anywhere; white-space: pre-wrap; max-height: 12em; overflow: auto; }
`;
