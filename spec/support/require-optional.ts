// Jest (CommonJS mode) stand-in for lib/runtime/require-optional.ts, which uses import.meta.
import { createRequire } from "node:module";

export const requireOptional: NodeJS.Require = createRequire(__filename);
