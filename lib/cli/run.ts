// The `penstock` command: parse, run, and turn every failure into a message and an exit code.
import { readFileSync } from "node:fs";
import { isPenstockError } from "../errors";
import { parseCommand } from "./args";
import { parseLogsCommand } from "./logs-args";
import { checkCommand } from "./check-command";
import { dagCommand } from "./dag-command";
import { logsCommand } from "./logs-command";
import { CliError, EXIT, type ExitCode } from "./errors";
import type { CliIO } from "./io";
import { parseReportCommand } from "./report-args";
import { reportCommand } from "./report-command";
import { USAGE } from "./usage";

// dist/cli.js sits next to nothing but dist/; the package's manifest is one level up.
function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}

function report(error: unknown, io: CliIO): ExitCode {
  if (error instanceof CliError) {
    // One line: the reason, and for a usage error where the whole usage is.
    const reason = error.showUsage && !/[.:]$/.test(error.message) ? `${error.message}.` : error.message;
    io.err(`penstock: ${reason}${error.showUsage ? " Run penstock --help for the usage." : ""}\n`);
    return error.exitCode;
  }
  // penstock's own errors (UNKNOWN_FLOW for --flow, ...) say what to do in their message.
  if (isPenstockError(error)) {
    io.err(`penstock: ${error.message}\n`);
    return EXIT.usage;
  }
  // Anything else is a file system error (EACCES, EISDIR, ...) or a bug: one line either way.
  io.err(`penstock: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.usage;
}

/**
 * Runs `penstock <argv...>` and returns its exit code; it never throws.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), { cwd: process.cwd(), out: ..., err: ... });
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  try {
    // penstock report parses its own options (--modules and --logs take several files each).
    if (argv[0] === "report" && !argv.includes("--help") && !argv.includes("-h")) return await reportCommand(parseReportCommand(argv.slice(1)), io);
    // `logs` has options of its own (its --stats is a flag, dag's takes a file).
    const command = argv[0] === "logs" && !argv.includes("--help") && !argv.includes("-h") ? parseLogsCommand(argv.slice(1)) : parseCommand(argv);
    switch (command.kind) {
      case "help":
        io.out(USAGE);
        return EXIT.ok;
      case "version":
        io.out(`${version()}\n`);
        return EXIT.ok;
      case "dag":
        return await dagCommand(command, io);
      case "check":
        return await checkCommand(command, io);
      case "logs":
        return await logsCommand(command, io);
    }
  } catch (error) {
    return report(error, io);
  }
}
