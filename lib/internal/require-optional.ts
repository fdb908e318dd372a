// A `require` for optional peers (OpenTelemetry), resolved from penstock's own location and made
// on first use (lib/internal/module-require.ts). Where there is no such `require` (a Cloudflare
// Worker's bundle has no file URL, and its createRequire throws), every optional peer counts as
// not installed: the callers already treat a failed require that way.
import { moduleRequire } from "./module-require";

/** Loads the optional peer `id`; throws as `require` does when it is not installed (or cannot be). */
export function requireOptional(id: string): unknown {
  let load: (id: string) => unknown;
  try {
    load = moduleRequire();
  } catch (cause) {
    throw Object.assign(new Error(`Cannot load "${id}": this runtime has no require() for penstock's location.`, { cause }), { code: "MODULE_NOT_FOUND" });
  }
  return load(id);
}

/** Where the optional peer `id` would load from; throws as `require.resolve` does when it is not installed. */
export function resolveOptional(id: string): string {
  return moduleRequire().resolve(id);
}
