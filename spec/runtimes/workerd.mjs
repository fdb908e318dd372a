// The smoke suite on workerd, driven from Node through Miniflare: worker.mjs is bundled as
// Wrangler bundles a Worker (esbuild; the "workerd", "worker" and "browser" conditions, so pino
// resolves to its browser build; node:* left to nodejs_compat), then the core tests run inside
// workerd, and the HTTP tests reach withFlow through Miniflare's dispatchFetch.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { report, runTests, summarize } from "./harness.mjs";
import { httpTests } from "./suite.mjs";

const require = createRequire(import.meta.url);
const version = JSON.parse(readFileSync(require.resolve("workerd/package.json"), "utf8")).version;
/** The compatibility date the suite runs at; nodejs_compat gives node:async_hooks and the other node: modules. */
export const COMPATIBILITY_DATE = "2026-07-01";

const bundle = await build({
  entryPoints: [fileURLToPath(new URL("./worker.mjs", import.meta.url))],
  bundle: true,
  write: false,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["browser", "module", "main"],
  external: ["node:*", "cloudflare:*"],
  logLevel: "warning",
});

const mf = new Miniflare({
  modules: true,
  script: bundle.outputFiles[0].text,
  compatibilityDate: COMPATIBILITY_DATE,
  compatibilityFlags: ["nodejs_compat"],
  bindings: { WORKERD_VERSION: version },
});
try {
  const inside = await (await mf.dispatchFetch("http://penstock.test/__suite")).json();
  const fetchFlow = (headers) => mf.dispatchFetch("http://penstock.test/orders", { headers });
  // The HTTP tests run here, in Node; what they test is served by workerd.
  const outside = await runTests("workerd", version, httpTests(fetchFlow));
  const summary = summarize("workerd", version, [...inside.tests, ...outside.tests]);
  summary.features = inside.features;
  report(summary);
} finally {
  await mf.dispose();
}
