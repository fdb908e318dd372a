// The TypeScript compiler, loaded from the user's project (an optional peer, as tsx is).
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as TS from "typescript";
import { CliError } from "../errors";

export type TypeScript = typeof TS;

/**
 * The `typescript` package installed where the command runs. Static extraction only parses
 * (no type checking, no tsconfig), so any TypeScript 5 does.
 */
export function loadTypeScript(cwd: string): TypeScript {
  const require = createRequire(join(cwd, "package.json"));
  try {
    return require("typescript") as TypeScript;
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    if (code !== "MODULE_NOT_FOUND" || typeof message !== "string" || !message.includes("'typescript'")) throw error;
    throw new CliError(
      `static extraction reads the sources with the TypeScript compiler, from the optional package typescript, which is not installed here (looked from ${cwd}). ` +
        "Install it with `npm install -D typescript`, or import the modules instead with --import.",
    );
  }
}
