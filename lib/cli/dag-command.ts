// `penstock dag`: draw the flows, print or write the drawing, or check a kept one.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { generateDag, type FlowStats, type GenerateDagOptions } from "../dag";
import { getRegistry } from "../registry/registry";
import type { Registry } from "../types";
import type { DagCommand, DagOutputFormat } from "./args";
import { unifiedDiff } from "./text-diff";
import { CliError, EXIT, type ExitCode } from "./errors";
import { selectFlows } from "./flows";
import type { CliIO } from "./io";
import { loadFlows } from "./load";
import { renderSvg } from "./svg";

/** `--stats <file>`: figures gathered in another process (generateDag checks their shape). */
function readStats(file: string, cwd: string): FlowStats {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (error) {
    throw new CliError(`cannot read --stats ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as FlowStats;
  } catch (error) {
    throw new CliError(`--stats ${file} is not JSON: ${(error as Error).message}. Write it with JSON.stringify(flowStats("<flow>")).`, { cause: error });
  }
}

/** One flow (or every flow) in `format`: generateDag's text, or its DOT rendered to SVG. Shared with `penstock logs --stats`. */
export async function drawFlows(flow: string | undefined, format: DagOutputFormat, options: Omit<GenerateDagOptions, "format" | "output">): Promise<string> {
  if (format === "svg") {
    const { decorate: _drawn, ...dot } = options;
    return renderSvg(generateDag(flow, { ...dot, format: "dot" }));
  }
  return generateDag(flow, { ...options, format });
}

async function draw(command: DagCommand, registry: Registry, cwd: string): Promise<string> {
  const { flow, direction } = command;
  const figures: Pick<GenerateDagOptions, "stats" | "colorBy"> =
    command.stats === undefined ? {} : { stats: readStats(command.stats, cwd), ...(command.colorBy === undefined ? {} : { colorBy: command.colorBy }) };
  return drawFlows(flow, command.format, { direction, registry, ...figures, ...(command.decorate === undefined ? {} : { decorate: command.decorate }) });
}

// The file as `git diff` names it, so the diff can be applied with `git apply` or `patch -p1`.
function diffLabel(path: string, cwd: string): string {
  return relative(cwd, path).split(sep).join("/");
}

function checkFile(path: string, given: string, text: string, io: CliIO): ExitCode {
  const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  if (current === text) {
    io.err(`penstock: ${given} is up to date.\n`);
    return EXIT.ok;
  }
  const label = diffLabel(path, io.cwd);
  io.out(unifiedDiff(current ?? "", text, { from: current === undefined ? "/dev/null" : `a/${label}`, to: `b/${label}` }));
  io.err(`penstock: ${given} is ${current === undefined ? "missing" : "stale"}. Run the same command without --check to write it.\n`);
  return EXIT.failed;
}

/** Runs `penstock dag`. */
export async function dagCommand(command: DagCommand, io: CliIO): Promise<ExitCode> {
  const loaded = await loadFlows(command, io);
  const registry = getRegistry();
  selectFlows(registry, command.flow, command.modules);
  const text = await draw(command, registry, io.cwd);
  // Files that did not parse: the others are drawn, and the command still fails.
  const failed = loaded.errors.length === 0 ? undefined : command.check ? EXIT.failed : EXIT.usage;
  if (command.out === undefined) {
    io.out(text);
    return failed ?? EXIT.ok;
  }
  const path = resolve(io.cwd, command.out);
  if (command.check) {
    const code = checkFile(path, command.out, text, io);
    return failed ?? code;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, "utf8");
  io.err(`penstock: wrote ${command.out}.\n`);
  return failed ?? EXIT.ok;
}
