// `penstock logs` on the command line: its own options (its --stats is a flag, dag's takes a file).
import { parseArgs } from "node:util";
import type { ColorBy, DagDirection } from "../dag";
import { COLOR_BY, DIRECTIONS, loadOptions, oneOf, parseArgsMessage, type LoadOptions } from "./args";
import { DEFAULT_WINDOW_MS } from "../logs/read-logs";
import { usageError } from "./errors";

/** What `penstock logs` prints: one flow call, figures, drift, a list of flow calls, or an overview. */
export type LogsMode = "summary" | "id" | "stats" | "drift" | "slowest" | "failed";

/** `--format` of `penstock logs`: `table` (text, the default) or `json` for every mode; the drawings for --stats. */
export type LogsFormat = "table" | "json" | "markdown" | "mermaid" | "dot" | "svg";

export interface LogsCommand {
  readonly kind: "logs";
  /** Log files as given; "-" is stdin. */
  readonly files: readonly string[];
  readonly question: LogsMode;
  /** `--modules`: the declared flows (static by default), or none: flows are drawn from the logs. */
  readonly modules: LoadOptions | undefined;
  readonly id: string | undefined;
  readonly slowest: number;
  readonly flow: string | undefined;
  readonly format: LogsFormat;
  readonly windowMs: number;
  readonly out: string | undefined;
  /** --stats drawings, as for `penstock dag`. */
  readonly direction: DagDirection;
  readonly colorBy: ColorBy | undefined;
}

const OPTIONS = {
  id: { type: "string" },
  stats: { type: "boolean" },
  drift: { type: "boolean" },
  slowest: { type: "string" },
  failed: { type: "boolean" },
  flow: { type: "string" },
  modules: { type: "string", multiple: true },
  format: { type: "string" },
  window: { type: "string" },
  out: { type: "string" },
  direction: { type: "string" },
  "color-by": { type: "string" },
  static: { type: "boolean" },
  import: { type: "boolean" },
  timeout: { type: "string" },
} as const;

const DRAWINGS: readonly LogsFormat[] = ["markdown", "mermaid", "dot", "svg"];
const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `--window`: `90s`, `10m`, `1h`, `500ms`, or a bare number of seconds. */
export function parseWindow(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const value = match === null ? NaN : Number(match[1]) * UNITS[match[2] ?? "s"]!;
  if (!(value > 0)) throw usageError(`--window must be a duration such as 90s, 10m or 1h, not ${JSON.stringify(text)}`);
  return value;
}

function modeOf(values: { id?: string; stats?: boolean; drift?: boolean; slowest?: string; failed?: boolean }): LogsMode {
  const given = (["id", "stats", "drift", "slowest", "failed"] as const).filter((name) => values[name] !== undefined && values[name] !== false);
  if (given.length > 1) throw usageError(`--${given[0]} and --${given[1]} are two questions: ask one at a time`);
  return given[0] ?? "summary";
}

/**
 * `penstock logs <files...> [options]` (argv after "logs"). Throws a usage error (exit 2) for
 * anything it cannot take.
 *
 * @example
 * parseLogsCommand(["web.log", "--id", "4bf92f35..."]) // { kind: "logs", mode: "id", files: ["web.log"], ... }
 */
export function parseLogsCommand(argv: readonly string[]): LogsCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(parseArgsMessage(error, "logs"));
  }
  const { values, positionals: files } = parsed;
  if (files.length === 0) throw usageError("penstock logs needs the log files to read (or - for standard input), e.g. penstock logs app.log");
  const mode = modeOf(values);
  if (values.id === "") throw usageError("--id needs a correlation ID");
  if (values.flow === "") throw usageError("--flow needs the name of a flow");
  if (values.out === "") throw usageError("--out needs a file name");
  let slowest = 10;
  if (values.slowest !== undefined) {
    slowest = Number(values.slowest);
    if (!Number.isInteger(slowest) || slowest <= 0) throw usageError(`--slowest must be a whole number greater than 0, not ${JSON.stringify(values.slowest)}`);
  }
  const format = (values.format ?? "table") as LogsFormat;
  const allowed: readonly LogsFormat[] = mode === "stats" ? ["table", "json", ...DRAWINGS] : ["table", "json"];
  if (!allowed.includes(format)) {
    throw usageError(`--format of ${mode === "summary" ? "penstock logs" : `--${mode}`} must be one of ${allowed.join(", ")}, not ${JSON.stringify(values.format)}${DRAWINGS.includes(format) ? " (drawings are for --stats)" : ""}`);
  }
  if ((values.direction !== undefined || values["color-by"] !== undefined) && !(mode === "stats" && DRAWINGS.includes(format))) {
    throw usageError(`--${values.direction !== undefined ? "direction" : "color-by"} is about the drawings of --stats: give --stats --format ${DRAWINGS.join("|")}`);
  }
  const modules = (values.modules ?? []).flatMap((value) => value.split(",")).filter((value) => value !== "");
  if (mode === "drift" && modules.length === 0) throw usageError("--drift needs --modules <files|dirs>: the declared flows to compare the logs with");
  if ((values.static === true || values.import === true || values.timeout !== undefined) && modules.length === 0) throw usageError("--static, --import and --timeout are about --modules: give --modules too");
  const load = loadOptions(values, modules);
  return {
    kind: "logs",
    files,
    question: mode,
    // --modules reads statically unless --import is given: a drawing to compare logs with needs nothing run.
    modules: modules.length === 0 ? undefined : { ...load, mode: load.mode === "import" ? "import" : "static" },
    id: values.id,
    slowest,
    flow: values.flow,
    format,
    windowMs: values.window === undefined ? DEFAULT_WINDOW_MS : parseWindow(values.window),
    out: values.out,
    direction: oneOf("direction", values.direction, DIRECTIONS, "TD"),
    colorBy: values["color-by"] === undefined ? undefined : oneOf("color-by", values["color-by"], COLOR_BY, "p95"),
  };
}
