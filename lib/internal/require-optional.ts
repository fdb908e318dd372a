// A `require` for optional peers (OpenTelemetry), resolved from penstock's own location.
// The CommonJS build gets `import.meta.url` from tsup's shims; jest maps this file to a
// CommonJS twin (spec/support/require-optional.ts). Where there is no such `require` (a
// Cloudflare Worker's bundle has no file URL, and its createRequire throws), every optional
// peer counts as not installed: the callers already treat a failed require that way.
import { createRequire } from "node:module";

function anchoredRequire(): (id: string) => unknown {
  try {
    return createRequire(import.meta.url);
  } catch (cause) {
    return (id) => {
      throw Object.assign(new Error(`Cannot load "${id}": this runtime has no require() for penstock's location.`, { cause }), { code: "MODULE_NOT_FOUND" });
    };
  }
}

export const requireOptional: (id: string) => unknown = anchoredRequire();
