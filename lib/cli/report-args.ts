// `penstock report`'s command line: --modules and --logs each take every argument up to the
// next option, so `--modules src --logs web.log worker.log` reads as it is written (and
// `--modules src,lib`, or --modules repeated, as penstock logs reads it).
import { parseArgs } from "node:util";
import { loadOptions, parseArgsMessage, type LoadOptions } from "./args";
import { usageError } from "./errors";

/** `--slowest` when none is given. */
export const DEFAULT_SLOWEST = 10;

export interface ReportCommand extends LoadOptions {
  readonly kind: "report";
  /** Log files (`-` for stdin) to read the figures and flow calls from; none: a report without statistics. */
  readonly logs: readonly string[];
  /** The file to write; undefined: print the page. */
  readonly out: string | undefined;
  readonly title: string | undefined;
  /** How many of the slowest flow calls the page lists. */
  readonly slowest: number;
}

const OPTIONS = {
  modules: { type: "string", multiple: true },
  logs: { type: "string", multiple: true },
  out: { type: "string" },
  title: { type: "string" },
  slowest: { type: "string" },
  static: { type: "boolean" },
  import: { type: "boolean" },
  timeout: { type: "string" },
} as const;

/**
 * The report command `argv` (the arguments after `report`) asks for; a usage error (exit 2)
 * for anything it cannot take. Arguments before any --modules or --logs are modules.
 *
 * @example
 * parseReportCommand(["--modules", "src", "--logs", "web.log", "worker.log", "--out", "report.html"])
 */
export function parseReportCommand(argv: readonly string[]): ReportCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw usageError(parseArgsMessage(error, "report"));
  }
  const { values, tokens } = parsed;
  const lists: { modules: string[]; logs: string[] } = { modules: [], logs: [] };
  let current: keyof typeof lists = "modules";
  for (const token of tokens) {
    if (token.kind === "option" && (token.name === "modules" || token.name === "logs")) {
      current = token.name;
      // `--modules a,b` as penstock logs takes it; log file names are taken whole.
      if (token.value !== undefined) lists[current].push(...(current === "modules" ? token.value.split(",").filter((part) => part !== "") : [token.value]));
    } else if (token.kind === "positional") lists[current].push(token.value);
  }
  if (lists.modules.length === 0) throw usageError("penstock report needs the modules that define your flows: --modules <files|dirs|globs>, e.g. penstock report --modules src --out report.html");
  if (lists.modules.includes("") || lists.logs.includes("")) throw usageError("--modules and --logs need file names, not empty strings.");
  if (values.out === "") throw usageError("--out needs a file name.");
  let slowest = DEFAULT_SLOWEST;
  if (values.slowest !== undefined) {
    slowest = Number(values.slowest);
    if (!Number.isInteger(slowest) || slowest < 0) throw usageError(`--slowest must be a whole number of flow calls (0 or more), not ${JSON.stringify(values.slowest)}.`);
  }
  return { kind: "report", ...loadOptions(values, lists.modules), logs: lists.logs, out: values.out, title: values.title, slowest };
}
