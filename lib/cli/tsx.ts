// TypeScript modules in import mode: the loading process runs with the project's own tsx
// registered (`node --import tsx`), so .ts files import as .js files do, with source maps on
// (registration sites point at the TypeScript source).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { CliError } from "./errors";

// The file an `exports` entry gives under the `import` condition (tsx 4 ships ESM and CJS).
function importTarget(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (target === null || typeof target !== "object") return undefined;
  const conditions = target as Record<string, unknown>;
  return importTarget(conditions.import ?? conditions.default);
}

/**
 * The URL of the loader of the tsx installed where the user runs the command (not where
 * penstock is installed: a project's dev tools are its own), for `node --import`. It covers
 * ESM and CommonJS projects alike; a URL, because `--import` of a bare name would resolve
 * from the working directory's own package.json only.
 */
export function tsxLoader(cwd: string, module: string): string {
  const require = createRequire(join(cwd, "package.json"));
  let manifestPath: string;
  try {
    manifestPath = require.resolve("tsx/package.json");
  } catch {
    throw new CliError(
      `${module} is TypeScript, and importing it needs tsx, which is not installed here (looked from ${cwd}). ` +
        "Install it with `npm install -D tsx`, pass the compiled .js files instead, or read the sources with --static.",
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { version?: string; exports?: Record<string, unknown> };
  const entry = importTarget(manifest.exports?.["."]);
  const major = Number(manifest.version?.split(".")[0]);
  if (entry === undefined || !(major >= 4)) {
    throw new CliError(`the installed tsx ${manifest.version ?? ""} cannot be registered with node --import; importing ${module} needs tsx 4 or later: \`npm install -D tsx@latest\`.`);
  }
  return pathToFileURL(join(dirname(manifestPath), entry)).href;
}
