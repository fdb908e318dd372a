// The text of `penstock --help`: every command, flag and exit code.

export const USAGE = `Usage: penstock dag <modules...> [options]
       penstock check <modules...> [--flow <name>]

Loads the modules (so that their entrypoint() and step() calls register their flows), then:

  dag     prints or writes the DAG of every flow, or of one with --flow
  check   runs validateFlow on every flow, or on one with --flow, and lists the problems

Modules are file paths, relative to the current directory: .js, .mjs and .cjs files are
imported as they are; .ts, .mts and .cts files need tsx in the project (npm install -D tsx).

Options of dag:
  --flow <name>        draw only this flow (default: every flow, one subgraph or cluster each)
  --format <format>    mermaid (default), markdown, dot, json, or svg (rendered by Graphviz
                       compiled to WebAssembly: npm install -D @hpcc-js/wasm-graphviz)
  --direction <dir>    TD (default, top-down) or LR (left to right)
  --decorate           mermaid and markdown: draw entrypoints as stadiums (["name"]); the default
                       for markdown and for every flow, not for one flow in mermaid, which is the
                       plain format (dot and svg always mark entrypoints)
  --plain              mermaid and markdown: draw entrypoints like steps
  --stats <file>       draw the statistics in this FlowStats JSON file (JSON.stringify(flowStats(
                       "<flow>")) from the process that ran the flow): calls, p95 and error rate
                       on each node, the count on each edge; dot and svg fill nodes on a scale
  --color-by <what>    with --stats, dot and svg: p95 (default) or errorRate
  --out <file>         write the drawing to this file instead of printing it
  --check              with --out: write nothing; exit 1 and print a unified diff when the file
                       is not what would be written (missing or stale), exit 0 when it is

Options of check:
  --flow <name>        check only this flow

Other options:
  -h, --help           print this help
  -v, --version        print penstock's version

Exit codes:
  0  done: printed or written, the file is current, or no problems
  1  dag --check: the file is stale or missing; check: a flow has problems
  2  usage error, or a module, the flow or an optional package could not be loaded

Examples:
  penstock dag src/flows.js
  penstock dag src/flows.ts --format markdown --out docs/flows.md
  penstock dag src/flows.ts --format markdown --out docs/flows.md --check
  penstock dag src/orders.mjs --flow orders --format svg --direction LR --out docs/orders.svg
  penstock dag src/orders.mjs --flow orders --stats orders-stats.json --format svg --out orders.svg
  penstock check src/flows.js
`;
