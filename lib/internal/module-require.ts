// Node's `require`, resolved from penstock's own location, made on first use: a bundle that
// inlines penstock (esbuild to CommonJS empties `import.meta`) must still load, so nothing
// here runs at module load. The CommonJS build gets `import.meta.url` from tsup's shims; jest
// maps this file to a CommonJS twin (spec/support/module-require.ts).
import { createRequire } from "node:module";
import { join } from "node:path";

let made: NodeJS.Require | undefined;

/** The `require` of the file penstock runs from (its own, or the bundle it was inlined into). */
export function moduleRequire(): NodeJS.Require {
  return (made ??= createRequire(ownLocation()));
}

function ownLocation(): string {
  const url = import.meta.url;
  if (typeof url === "string" && url !== "") return url;
  // Inlined into a CommonJS bundle: the bundle's own file, else the working directory.
  return typeof __filename === "string" ? __filename : join(process.cwd(), "penstock.cjs");
}
