// Jest (CommonJS mode) stand-in for lib/internal/module-require.ts, which uses import.meta.
import { createRequire } from "node:module";

export const moduleRequire = (): NodeJS.Require => createRequire(__filename);
