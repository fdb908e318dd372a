// The command line, parsed with node:util parseArgs and checked, into one command record
// (penstock report has its own parser: report-args.ts).
import { parseArgs } from "node:util";
import type { ColorBy, DagDirection, DagFormat } from "../dag";
import { usageError } from "./errors";

/** What `penstock dag --format` accepts: the text formats of generateDag, and SVG. */
export type DagOutputFormat = DagFormat | "svg";

const FORMATS: readonly DagOutputFormat[] = ["mermaid", "markdown", "dot", "json", "svg"];
export const DIRECTIONS: readonly DagDirection[] = ["TD", "LR"];
export const COLOR_BY: readonly ColorBy[] = ["p95", "errorRate"];

/**
 * How the flows are read: `static` parses the sources and runs none of them; `import` imports
 * the modules (in a child process); `auto` is static for a directory or a glob, import for files.
 */
export type LoadMode = "static" | "import" | "auto";

/** What every command that reads flows shares. */
export interface LoadOptions {
  /** Files, directories and globs, as given. */
  readonly modules: readonly string[];
  readonly mode: LoadMode;
  /** Import mode: how long loading may take before the command gives up. */
  readonly timeoutMs: number;
}

/** `--timeout` when none is given, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 30;

export interface DagCommand extends LoadOptions {
  readonly kind: "dag";
  readonly flow: string | undefined;
  readonly format: DagOutputFormat;
  readonly direction: DagDirection;
  /** `--decorate` (true), `--plain` (false), or neither: generateDag's default. */
  readonly decorate: boolean | undefined;
  readonly out: string | undefined;
  readonly check: boolean;
  /** `--stats <file>`: a FlowStats JSON file (flowStats() of another process) to draw. */
  readonly stats: string | undefined;
  readonly colorBy: ColorBy | undefined;
}

export interface CheckCommand extends LoadOptions {
  readonly kind: "check";
  readonly flow: string | undefined;
}

export type CliCommand = { readonly kind: "help" } | { readonly kind: "version" } | DagCommand | CheckCommand;

const OPTIONS = {
  flow: { type: "string" },
  format: { type: "string" },
  direction: { type: "string" },
  out: { type: "string" },
  check: { type: "boolean" },
  decorate: { type: "boolean" },
  plain: { type: "boolean" },
  static: { type: "boolean" },
  import: { type: "boolean" },
  timeout: { type: "string" },
  stats: { type: "string" },
  "color-by": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

const DAG_ONLY = ["format", "direction", "out", "check", "decorate", "plain", "stats", "color-by"] as const;

// parseArgs explains how to pass a positional that starts with "-"; the option's name is what helps.
export function parseArgsMessage(error: unknown, command?: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if ((error as { code?: unknown }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const option = /'([^']*)'/.exec(message)?.[1];
    if (option !== undefined) return `unknown option ${option}${command === undefined ? "" : ` for penstock ${command}`}.`;
  }
  return message;
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(`--${flag} must be one of ${allowed.join(", ")}, not ${JSON.stringify(value)}.`);
}

export function loadOptions(values: { static?: boolean; import?: boolean; timeout?: string }, modules: readonly string[]): LoadOptions {
  if (values.static === true && values.import === true) throw usageError("--static and --import contradict each other: give one.");
  let seconds = DEFAULT_TIMEOUT_SECONDS;
  if (values.timeout !== undefined) {
    seconds = Number(values.timeout);
    if (values.timeout.trim() === "" || !Number.isFinite(seconds) || seconds <= 0) {
      throw usageError(`--timeout must be a number of seconds greater than 0, not ${JSON.stringify(values.timeout)}.`);
    }
  }
  return { modules, mode: values.static === true ? "static" : values.import === true ? "import" : "auto", timeoutMs: Math.round(seconds * 1000) };
}

/**
 * The command `argv` (without `node` and the script) asks for. Throws a usage error (exit
 * code 2, one line and a pointer to --help) for anything it cannot take.
 *
 * @example
 * parseCommand(["dag", "src/flows.js", "--format", "dot"])
 * // { kind: "dag", modules: ["src/flows.js"], format: "dot", direction: "TD", ... }
 */
export function parseCommand(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(parseArgsMessage(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: "help" };
  if (values.version === true) return { kind: "version" };
  const [command, ...modules] = positionals;
  if (command === undefined) throw usageError("no command given: use penstock dag, penstock check, penstock logs or penstock report.");
  if (command === "help") return { kind: "help" };
  if (command !== "dag" && command !== "check") throw usageError(`unknown command ${JSON.stringify(command)}: use penstock dag, penstock check, penstock logs or penstock report.`);
  if (modules.length === 0) throw usageError(`penstock ${command} needs the modules that define your flows, e.g. penstock ${command} src/flows.js`);
  if (values.flow === "") throw usageError("--flow needs the name of a flow.");

  if (command === "check") {
    const misplaced = DAG_ONLY.find((name) => values[name] !== undefined);
    if (misplaced !== undefined) throw usageError(`--${misplaced} is an option of penstock dag, not of penstock check.`);
    return { kind: "check", ...loadOptions(values, modules), flow: values.flow };
  }
  if (values.out === "") throw usageError("--out needs a file name.");
  if (values.decorate === true && values.plain === true) throw usageError("--decorate and --plain contradict each other: give one.");
  if (values.stats === "") throw usageError("--stats needs a file: a FlowStats JSON document, as flowStats() returns.");
  if (values["color-by"] !== undefined && values.stats === undefined) throw usageError("--color-by needs --stats <file>: it colours the statistics.");
  if (values.check === true && values.out === undefined) throw usageError("--check needs --out <file>: the file to compare with what would be written.");
  return {
    kind: "dag",
    ...loadOptions(values, modules),
    flow: values.flow,
    format: oneOf("format", values.format, FORMATS, "mermaid"),
    direction: oneOf("direction", values.direction, DIRECTIONS, "TD"),
    decorate: values.decorate === true ? true : values.plain === true ? false : undefined,
    out: values.out,
    check: values.check === true,
    stats: values.stats,
    colorBy: values["color-by"] === undefined ? undefined : oneOf("color-by", values["color-by"], COLOR_BY, "p95"),
  };
}
