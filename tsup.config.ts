// Build: one ESM and one CommonJS build of the public entries, each with its own declarations,
// and the `penstock` bin (ESM only, no declarations).
//
// Each build holds the core once: the entries (index, testing, otel, http, pino, bullmq) are
// split into shared chunks, so `penstock/http` runs the very modules `penstock` runs and the
// two agree on every class and module-level value. (Across the two builds, or another copy of
// penstock, state is shared through the globalThis slot of lib/internal/global.ts, and
// PenstockError is recognised by its brand.)
import { defineConfig, type Options } from "tsup";

type Plugin = NonNullable<Options["plugins"]>[number];
type EsbuildPlugin = NonNullable<Options["esbuildPlugins"]>[number];
type EsbuildBuild = Parameters<EsbuildPlugin["setup"]>[0];
type EsbuildApi = EsbuildBuild["esbuild"];
type Metafile = NonNullable<Parameters<Parameters<EsbuildBuild["onEnd"]>[0]>[0]["metafile"]>;

/**
 * CommonJS with shared chunks. esbuild splits only ESM, and tsup's own way to split CommonJS
 * rewrites each chunk with sucrase, which also lowers `?.` and `??` into helper calls (slower
 * code in the CommonJS build than in the ESM one). Instead, esbuild splits the CommonJS build
 * as ESM (tsup still names the files .cjs and applies its CommonJS shims), then esbuild's own
 * transform turns each file into CommonJS: what esbuild writes for an unsplit CommonJS bundle,
 * at the same target.
 */
function commonJsChunks(): { esbuildPlugin: EsbuildPlugin; plugin: Plugin } {
  let esbuild: EsbuildApi | undefined;
  return {
    esbuildPlugin: {
      name: "penstock:esbuild-api",
      setup(build) {
        // tsup does not expose esbuild; a plugin is handed the very copy that builds.
        esbuild = build.esbuild;
      },
    },
    plugin: {
      name: "penstock:cjs-chunks",
      esbuildOptions(options) {
        if (this.format !== "cjs") return;
        options.format = "esm";
        options.splitting = true;
      },
      async renderChunk(code, info) {
        if (this.format !== "cjs" || !info.path.endsWith(".cjs")) return;
        if (esbuild === undefined) throw new Error("penstock:cjs-chunks: esbuild's API was not captured");
        // The chunk's source map goes in inline, so esbuild maps straight back to lib/.
        const map = typeof info.map === "string" ? info.map : info.map ? JSON.stringify(info.map) : undefined;
        const input = map === undefined ? code : `${code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString("base64")}\n`;
        const result = await esbuild.transform(input, {
          format: "cjs",
          // ESM is strict; so is the unsplit CommonJS bundle.
          banner: '"use strict";',
          loader: "js",
          platform: "node",
          target: this.options.target,
          sourcemap: this.options.sourcemap ? "external" : false,
          // A .mjs name: a default import of a CommonJS package (pino) gets Node's ESM semantics,
          // `__toESM(require(...), 1)`, as in the unsplit bundle of these ESM sources. The name
          // is written nowhere: the output map's sources are those of the chunk's map.
          sourcefile: info.path.replace(/\.cjs$/, ".mjs"),
        });
        return { code: result.code, map: result.map || undefined };
      },
    },
  };
}

/**
 * Fails the build on a cycle of static imports between penstock's own files. Within a shared
 * chunk esbuild orders the files of a cycle by its own rule, which can differ from the order
 * Node evaluates them in: a value one file reads from another at load time would be undefined.
 * Without cycles every order esbuild picks runs each file after the files it imports.
 */
const noImportCycles: EsbuildPlugin = {
  name: "penstock:no-import-cycles",
  setup(build) {
    build.onEnd((result) => {
      const cycle = result.metafile === undefined ? undefined : findImportCycle(result.metafile);
      if (cycle === undefined) return;
      return {
        errors: [
          {
            text:
              `import cycle in lib/: ${cycle.join(" -> ")}. With shared chunks, esbuild may evaluate the files of ` +
              "a cycle in another order than Node does, and a value read at load time from another file of the cycle " +
              "(a zod schema, a class to extend) is then undefined. Move what both sides need into a file that imports neither.",
          },
        ],
      };
    });
  },
};

/** A cycle of static imports between the build's own files (type-only imports are gone by then). */
function findImportCycle(metafile: Metafile): string[] | undefined {
  const imports = new Map<string, string[]>();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (file.includes("node_modules")) continue;
    const own = input.imports.filter((record) => record.kind === "import-statement" && !record.external && record.path in metafile.inputs);
    imports.set(file, own.map((record) => record.path));
  }
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    const at = path.indexOf(file);
    if (at !== -1) return [...path.slice(at), file];
    if (done.has(file)) return undefined;
    path.push(file);
    for (const next of imports.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    done.add(file);
    return undefined;
  };
  for (const file of imports.keys()) {
    const cycle = visit(file);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

const cjsChunks = commonJsChunks();

/** The entries, their builds' shared options (splitting: tsup's default, on for ESM; CommonJS by the plugin). */
const library = {
  entry: {
    index: "lib/index.ts",
    testing: "lib/testing/index.ts",
    otel: "lib/otel/index.ts",
    http: "lib/http/index.ts",
    pino: "lib/pino/index.ts",
    bullmq: "lib/bullmq/index.ts",
  },
  target: "node20",
  platform: "node",
  sourcemap: true,
  esbuildPlugins: [noImportCycles, cjsChunks.esbuildPlugin],
  plugins: [cjsChunks.plugin],
  // `import.meta.url` in the CommonJS build (used to load optional peers such as OpenTelemetry).
  shims: true,
  // Built-ins keep their `node:` prefix (tsup strips it by default): Workers bundlers
  // (Wrangler, Vite) leave `node:*` to nodejs_compat, and Bun and Deno resolve it as Node does.
  removeNodeProtocol: false,
  // Optional peers stay the user's; the integrations type frameworks structurally and import none.
  external: ["@opentelemetry/api", "bullmq", "ioredis", "express"],
} satisfies Options;

export default defineConfig([
  {
    ...library,
    format: ["esm", "cjs"],
    dts: true,
    // Both builds write to dist/: this one cleans it, but leaves the bin to the other.
    clean: ["!cli.js", "!cli.js.map"],
  },
  {
    // The bin bundles its own copy of the library: it is a process of its own. It shares the
    // registry with the copy the user's modules import through the globalThis slot, and
    // recognises their PenstockErrors by the brand.
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
    external: ["@opentelemetry/api", "@hpcc-js/wasm-graphviz", "tsx", "typescript"],
  },
]);

/**
 * `npm run build:demo` (tsup.demo.config.ts): only the ESM build of the entries, without
 * declarations, which is all examples/demo.mjs runs on. Its files are the full build's ESM
 * files, byte for byte, so it cleans nothing: over a full build it leaves a full build.
 */
export const demo = defineConfig({
  ...library,
  format: ["esm"],
  dts: false,
  clean: false,
});
