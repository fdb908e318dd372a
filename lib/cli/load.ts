// Reading the flows a command works on: statically (sources parsed, nothing run) or by
// importing the modules in a loading process; either way they end up in this registry.
import { isPenstockError } from "../errors";
import { register } from "../registry/registry";
import type { LoadMode, LoadOptions } from "./args";
import { importModules } from "./import-mode";
import { expandInputs } from "./inputs";
import type { CliIO } from "./io";
import { extractFlows } from "./static/extract";

/** How the flows were read, and what went wrong on the way without stopping the command. */
export interface Loaded {
  readonly mode: Exclude<LoadMode, "auto">;
  /**
   * Static mode: files that do not parse, registrations import mode would reject (each
   * reported on stderr). The rest is drawn; the command ends with exit 1 (--check, check) or 2.
   */
  readonly errors: readonly string[];
}

/**
 * Registers the flows of `options.modules`. A directory or a glob is read statically unless
 * `--import` is given; files are imported unless `--static` is. Every file is checked to be
 * there and readable before any is read.
 */
export async function loadFlows(options: LoadOptions, io: CliIO): Promise<Loaded> {
  const inputs = expandInputs(options.modules, io.cwd);
  const mode = options.mode === "auto" ? (inputs.expanded ? "static" : "import") : options.mode;
  if (mode === "import") {
    await importModules(inputs.files, options.timeoutMs, io);
    return { mode, errors: [] };
  }
  const extraction = extractFlows(inputs.files, io.cwd);
  const errors = [...extraction.errors];
  for (const info of extraction.steps) {
    try {
      register(info);
    } catch (error) {
      if (!isPenstockError(error)) throw error;
      errors.push(`${info.source ?? "?"}: ${error.message}`);
    }
  }
  for (const note of extraction.notes) io.err(`penstock: ${note}\n`);
  for (const error of errors) io.err(`penstock: ${error}\n`);
  return { mode, errors };
}
