// The text of `penstock --help`: every command, flag, extension and exit code.
import { DEFAULT_TIMEOUT_SECONDS } from "./args";

export const USAGE = `Usage: penstock dag <files|dirs|globs...> [options]
       penstock check <files|dirs|globs...> [--flow <name>] [--static|--import]
       penstock logs <log files...|-> [--id <id> | --stats | --drift | --slowest <n> | --failed] [options]
       penstock report --modules <files|dirs|globs...> [--logs <files...>] [--out <file>]

Reads the flows that entrypoint() and step() register, then:

  dag     prints or writes the DAG of every flow, or of one with --flow
  check   runs validateFlow on every flow, or on one with --flow, and lists the problems
  logs    reads penstock's step.start/step.end lines from pino logs and rebuilds the flow calls
  report  writes one self-contained HTML page: every flow's DAG, its figures and drift from
          the logs, the slowest and failed flow calls as waterfalls

Files are paths relative to the current directory; a directory means every source file under
it (not in node_modules); a glob ("src/**/*.ts") every file it matches. Extensions read:
.js, .mjs, .cjs, .ts, .mts, .cts and .tsx.

Static or import:
  --static             read the sources without running them (the TypeScript compiler API:
                       npm install -D typescript); the default for directories and globs
  --import             import the modules (in a process of their own, with PENSTOCK_CLI=1 set
                       and a silent backend; .ts, .mts, .cts and .tsx files need tsx in the
                       project: npm install -D tsx); the default for files
  --timeout <seconds>  import: give up when loading takes longer (default ${DEFAULT_TIMEOUT_SECONDS})

Options of dag:
  --flow <name>        draw only this flow (default: every flow, one subgraph or cluster each)
  --format <format>    mermaid (default), markdown, dot, json, or svg (rendered by Graphviz
                       compiled to WebAssembly: npm install -D @hpcc-js/wasm-graphviz)
  --direction <dir>    TD (default, top-down) or LR (left to right)
  --decorate           mermaid and markdown: draw entrypoints as stadiums (["name"]) and mark
                       unknown and external nodes; the default for markdown and for every flow,
                       not for one flow in mermaid, which is the plain format (dot and svg always
                       mark them)
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

Options of logs (log files: several are merged in log time; - is standard input; gzip is read
as such; other lines are skipped and counted):
  --id <id>            one flow call (every file's lines of it) as a waterfall: exit 1 and the
                       closest IDs when it is not in the logs
  --stats              per step calls, errors, p50/p95/p99/max; per edge counts (a table, or
                       --format json|markdown|mermaid|dot|svg drawn as penstock dag --stats draws)
  --drift              what ran against the drawing of --modules (diffDag): exit 1 on any finding
  --slowest <n>        the n slowest flow calls, one line each with its ID
  --failed             the failed flow calls, then the unfinished ones (no step.end)
  --flow <name>        only this flow
  --modules <paths>    the declared flows (read statically; --import imports them); repeat it or
                       separate with commas. Without it, flows are drawn from the edges in the logs
  --format <format>    table (default) or json; for --stats also markdown, mermaid, dot, svg
  --direction, --color-by  for the drawings of --stats, as for dag
  --window <duration>  give up on a flow call still open this long after it began, in log time
                       (default 10m; 90s, 1h, 500ms)
  --out <file>         write the output to this file instead of printing it
  With none of --id, --stats, --drift, --slowest, --failed: the figures and a few flow calls.
Options of report:
  --modules <paths>    the modules, directories or globs of your flows: every argument up to
                       the next option (or separated with commas; arguments before any option
                       are modules too)
  --logs <files...>    pino log files of penstock's logging backend (- for stdin, .gz read
                       as it is): the figures, the drift and the flow calls of the page
  --out <file>         write the page to this file (default: print it)
  --title <text>       the page's title (default "penstock flow report")
  --slowest <n>        how many of the slowest flow calls the page lists (default 10)

Other options:
  -h, --help           print this help
  -v, --version        print penstock's version

Exit codes:
  0  done: printed or written, the file is current, or no problems
  1  dag --check: the file is stale or missing; check: a flow has problems (static: or a file
     does not parse); logs --id: the ID is not in the logs; logs --drift: drift was found
  2  usage error, or a module, the flow or an optional package could not be loaded (static:
     a file does not parse; the other files are still drawn); logs: a log file cannot be read

Examples:
  penstock dag src/flows.js
  penstock dag src --format markdown --out docs/flows.md
  penstock dag "src/**/*.ts" --static --format markdown --out docs/flows.md --check
  penstock dag src/orders.mjs --flow orders --format svg --direction LR --out docs/orders.svg
  penstock check --static src
  penstock dag src/orders.mjs --flow orders --stats orders-stats.json --format svg --out orders.svg
  kubectl logs deploy/web | penstock logs - --slowest 5
  penstock logs web.log worker.log.gz --id 4bf92f3577b34da6a3ce929d0e0e4736
  penstock logs staging.log --drift --modules src
  penstock report --modules src --logs logs/web.log logs/worker.log.gz --out report.html
`;
