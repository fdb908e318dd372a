// A `require` for optional peers (OpenTelemetry), resolved from penstock's own location.
// The CommonJS build gets `import.meta.url` from tsup's shims; jest maps this file to a
// CommonJS twin (spec/support/require-optional.ts).
import { createRequire } from "node:module";

export const requireOptional: NodeJS.Require = createRequire(import.meta.url);
