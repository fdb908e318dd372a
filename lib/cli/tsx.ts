// TypeScript modules: loaded through the project's own tsx, when it has one.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { CliError } from "./errors";

/** tsx's `tsImport(specifier, parentURL)`. */
export type TsImport = (specifier: string, parentURL: string) => Promise<unknown>;

// The file an `exports` entry gives under the `import` condition (tsx 4 ships ESM and CJS).
function importTarget(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (target === null || typeof target !== "object") return undefined;
  const conditions = target as Record<string, unknown>;
  return importTarget(conditions.import ?? conditions.default);
}

/**
 * `tsImport` from the tsx installed where the user runs the command (not where penstock is
 * installed: a project's dev tools are its own). tsImport loads one file and what it imports
 * in its own namespace, whatever the project's `"type"`; tsx's `register()` would not cover
 * a CommonJS project. The ESM build is loaded by path: `import()` cannot resolve a bare
 * name from another folder, and tsx's CommonJS API fails to load its own ESM half on Node 20.
 */
export async function loadTsImport(cwd: string, module: string): Promise<TsImport> {
  const require = createRequire(join(cwd, "package.json"));
  let manifestPath: string;
  try {
    manifestPath = require.resolve("tsx/package.json");
  } catch {
    throw new CliError(
      `${module} is TypeScript, and loading it needs tsx, which is not installed here (looked from ${cwd}). ` +
        `Install it with \`npm install -D tsx\`, or pass the compiled .js files instead.`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { version?: string; exports?: Record<string, unknown> };
  const entry = importTarget(manifest.exports?.["./esm/api"]);
  const api = entry === undefined ? undefined : ((await import(pathToFileURL(join(dirname(manifestPath), entry)).href)) as { tsImport?: unknown });
  if (typeof api?.tsImport !== "function") {
    throw new CliError(`the installed tsx ${manifest.version ?? ""} has no tsImport(); loading ${module} needs tsx 4.13 or later: \`npm install -D tsx@latest\`.`);
  }
  return api.tsImport as TsImport;
}
