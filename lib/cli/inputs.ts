// The files a command reads: files as given, every source file under a directory, or a glob's
// matches (never under node_modules), each checked to be there and readable before any is read.
import { accessSync, constants, readdirSync, statSync } from "node:fs";
import { extname, join, relative, resolve, sep } from "node:path";
import { globSync } from "tinyglobby";
import { CliError } from "./errors";

/** Every extension penstock reads, JavaScript first. */
export const JAVASCRIPT_EXTENSIONS = [".js", ".mjs", ".cjs"] as const;
export const TYPESCRIPT_EXTENSIONS = [".ts", ".mts", ".cts", ".tsx"] as const;
const JAVASCRIPT = new Set<string>(JAVASCRIPT_EXTENSIONS);
const TYPESCRIPT = new Set<string>(TYPESCRIPT_EXTENSIONS);
const EXTENSIONS = [...JAVASCRIPT_EXTENSIONS, ...TYPESCRIPT_EXTENSIONS];
// Declaration files hold types only: nothing in them registers a flow.
const DECLARATION = /\.d\.[mc]?ts$/;
const GLOB = /[*?[\]{}]/;
// Folders a directory argument never descends into.
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git"]);

/** One file to read. */
export interface SourceFile {
  /** As given on the command line, or relative to the working directory when found under a directory or by a glob. */
  readonly given: string;
  readonly path: string;
  readonly typescript: boolean;
}

/** The files, and whether any argument was a directory or a glob (which reads statically by default). */
export interface Inputs {
  readonly files: readonly SourceFile[];
  readonly expanded: boolean;
}

const EXTENSION_LIST = `${EXTENSIONS.slice(0, -1).join(", ")} and ${EXTENSIONS[EXTENSIONS.length - 1]}`;

export function isSourceFile(path: string): boolean {
  const extension = extname(path).toLowerCase();
  return (JAVASCRIPT.has(extension) || TYPESCRIPT.has(extension)) && !DECLARATION.test(path);
}

function isTypeScript(path: string): boolean {
  return TYPESCRIPT.has(extname(path).toLowerCase());
}

function display(path: string, cwd: string): string {
  const inside = relative(cwd, path);
  return inside.startsWith("..") ? path : inside.split(sep).join("/");
}

// The cause of a file that cannot be read, in words: EACCES is not "missing".
function unreadable(given: string, error: unknown): CliError {
  const code = (error as { code?: unknown }).code;
  if (code === "EACCES" || code === "EPERM") return new CliError(`cannot read ${given}: permission denied (${String(code)}). Make it readable, or leave it out.`, { cause: error });
  return new CliError(`cannot read ${given}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

function checkReadable(given: string, path: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw unreadable(given, error);
  }
}

function walk(directory: string, given: string, found: string[]): void {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    throw unreadable(given, error);
  }
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(path, given, found);
    } else if (entry.isFile() && isSourceFile(entry.name)) {
      found.push(path);
    }
  }
}

function file(given: string, path: string): SourceFile {
  if (!isSourceFile(path)) throw new CliError(`cannot load ${given}: penstock loads ${EXTENSION_LIST} files.`);
  checkReadable(given, path);
  return { given, path, typescript: isTypeScript(path) };
}

/**
 * The files `args` name, in order (a directory's and a glob's sorted), each once. Throws a
 * CliError for a missing or unreadable file, or an argument that gives no source file.
 */
export function expandInputs(args: readonly string[], cwd: string): Inputs {
  const files: SourceFile[] = [];
  const seen = new Set<string>();
  let expanded = false;
  const add = (source: SourceFile): void => {
    if (seen.has(source.path)) return;
    seen.add(source.path);
    files.push(source);
  };
  for (const given of args) {
    const path = resolve(cwd, given);
    let stats;
    try {
      stats = statSync(path);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw unreadable(given, error);
    }
    if (stats?.isDirectory()) {
      expanded = true;
      checkReadable(given, path);
      const found: string[] = [];
      walk(path, given, found);
      if (found.length === 0) throw new CliError(`${given} holds no ${EXTENSION_LIST} file (outside node_modules).`);
      for (const match of found.sort()) add({ given: display(match, cwd), path: match, typescript: isTypeScript(match) });
      continue;
    }
    if (stats !== undefined) {
      if (!stats.isFile()) throw new CliError(`cannot load ${given}: it is not a file.`);
      add(file(given, path));
      continue;
    }
    if (!GLOB.test(given)) throw new CliError(`cannot load ${given}: there is no such file (looked for ${path}).`);
    expanded = true;
    const matches = globSync(given, { cwd, absolute: true, ignore: ["**/node_modules/**"] })
      .map((match) => resolve(match))
      .filter(isSourceFile)
      .sort();
    if (matches.length === 0) throw new CliError(`no ${EXTENSION_LIST} file matches ${given}.`);
    for (const match of matches) add(file(display(match, cwd), match));
  }
  return { files, expanded };
}
