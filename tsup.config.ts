// Build: one ESM and one CommonJS bundle per public entry, each with its own declarations,
// and the `penstock` bin (ESM only, no declarations).
import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: {
      index: "lib/index.ts",
      testing: "lib/testing/index.ts",
      otel: "lib/otel/index.ts",
      http: "lib/http/index.ts",
      pino: "lib/pino/index.ts",
      bullmq: "lib/bullmq/index.ts",
    },
    format: ["esm", "cjs"],
    dts: true,
    // Both builds write to dist/: this one cleans it, but leaves the bin to the other.
    clean: ["!cli.js", "!cli.js.map"],
    target: "node20",
    platform: "node",
    sourcemap: true,
    // Shared state lives in a globalThis slot, so splitting chunks buys nothing and keeps
    // the two formats symmetrical.
    splitting: false,
    // `import.meta.url` in the CommonJS build (used to load optional peers such as OpenTelemetry).
    shims: true,
    // Optional peers stay the user's; the integrations type frameworks structurally and import none.
    external: ["@opentelemetry/api", "bullmq", "ioredis", "express"],
  },
  {
    // The bin bundles its own copy of the library; it shares the registry with the copies the
    // user's modules import through the globalThis slot (lib/global.ts).
    entry: { cli: "lib/cli/main.ts" },
    format: ["esm"],
    dts: false,
    clean: false,
    target: "node20",
    platform: "node",
    sourcemap: true,
    splitting: false,
    banner: { js: "#!/usr/bin/env node" },
    // Optional packages, loaded on demand from the user's project.
    external: ["@opentelemetry/api", "@hpcc-js/wasm-graphviz", "tsx"],
  },
]);
