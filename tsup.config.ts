// Build: one ESM and one CommonJS bundle per public entry, each with its own declarations.
import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "lib/index.ts",
    testing: "lib/testing/index.ts",
    otel: "lib/otel/index.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "node20",
  platform: "node",
  sourcemap: true,
  // Shared state lives in a globalThis slot, so splitting chunks buys nothing and keeps
  // the two formats symmetrical.
  splitting: false,
  // `import.meta.url` in the CommonJS build (used to load optional peers such as OpenTelemetry).
  shims: true,
  external: ["@opentelemetry/api"],
});
