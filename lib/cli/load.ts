// Loading the user's modules, so that their entrypoint() and step() calls register their flows.
import { statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CliError } from "./errors";
import { loadTsImport, type TsImport } from "./tsx";

const JAVASCRIPT = new Set([".js", ".mjs", ".cjs"]);
const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);

interface ModuleFile {
  /** As given on the command line, for messages. */
  readonly given: string;
  readonly path: string;
  readonly typescript: boolean;
}

function moduleFile(given: string, cwd: string): ModuleFile {
  const path = resolve(cwd, given);
  const extension = extname(path).toLowerCase();
  if (!JAVASCRIPT.has(extension) && !TYPESCRIPT.has(extension)) {
    throw new CliError(`cannot load ${given}: penstock loads .js, .mjs, .cjs, .ts, .mts, .cts and .tsx files.`);
  }
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new CliError(`cannot load ${given}: there is no such file (looked for ${path}).`);
  }
  if (!isFile) throw new CliError(`cannot load ${given}: it is not a file.`);
  return { given, path, typescript: TYPESCRIPT.has(extension) };
}

// Frames of Node's module loader and of this command say nothing about the user's module.
const OWN_FRAMES = ["node:internal/", import.meta.url, fileURLToPath(import.meta.url)];

function describeFailure(error: unknown): string {
  // The user's own module failed: its stack is what points at the line to fix.
  if (!(error instanceof Error)) return String(error);
  const stack = error.stack ?? `${error.name}: ${error.message}`;
  return stack
    .split("\n")
    .filter((line) => !(line.trimStart().startsWith("at ") && OWN_FRAMES.some((frame) => line.includes(frame))))
    .join("\n");
}

/**
 * Imports each module in order (a module loaded twice registers nothing new). Every path,
 * and tsx when a module needs it, is checked before any module runs, so a typo fails fast.
 */
export async function loadModules(modules: readonly string[], cwd: string): Promise<void> {
  const files = modules.map((given) => moduleFile(given, cwd));
  const firstTypeScript = files.find((file) => file.typescript);
  const tsImport: TsImport | undefined = firstTypeScript === undefined ? undefined : await loadTsImport(cwd, firstTypeScript.given);
  for (const file of files) {
    const url = pathToFileURL(file.path).href;
    try {
      await (file.typescript ? tsImport!(url, pathToFileURL(join(cwd, "/")).href) : import(url));
    } catch (error) {
      throw new CliError(`could not load ${file.given}: ${describeFailure(error)}`, { cause: error });
    }
  }
}
