// Node's `require`, resolved from penstock's own location, made on first use: a bundle that
// inlines penstock (esbuild to CommonJS empties `import.meta`) must still load, so nothing
// here runs at module load. The CommonJS build gets `import.meta.url` from tsup's shims; jest
// maps this file to a CommonJS twin (spec/support/module-require.ts).
import { createRequire } from "node:module";
import { isAbsolute, join } from "node:path";

let made: NodeJS.Require | undefined;

/** The `require` of the file penstock runs from (its own, or the bundle it was inlined into). */
export function moduleRequire(): NodeJS.Require {
  return (made ??= createRequire(ownLocation()));
}

function ownLocation(): string {
  const url = import.meta.url;
  if (typeof url === "string" && url !== "") return url;
  // Inlined into a CommonJS bundle: the script that runs (the bundle, as a rule), else the
  // working directory. Not `__filename`: tsup would shim it in the ESM build, from
  // import.meta.url at module load, which is what a CommonJS bundle cannot do.
  const main = process.argv[1];
  return typeof main === "string" && isAbsolute(main) ? main : join(process.cwd(), "penstock.cjs");
}
