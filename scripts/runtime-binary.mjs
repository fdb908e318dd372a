#!/usr/bin/env node
// Prints the path of the Bun or Deno binary of the pinned version, fetched once from the npm
// registry (the platform package each runtime publishes there, `npm pack`ed and extracted) and
// cached outside the repository, as scripts/node-binary.mjs does for Node. Not devDependencies:
// each is one large binary that only the runtime smoke suite needs, so `npm ci` stays as it was.
// (workerd comes with miniflare, a devDependency: a library the suite drives from Node.)
// Usage: node scripts/runtime-binary.mjs bun   ->  /root/.cache/penstock/bun/1.4.5/bin/bun
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { unpackInto } from "./npm-unpack.mjs";

/** The versions the smoke suite runs on; bump here and nowhere else. */
export const PINNED = { bun: "1.4.5", deno: "2.9.6" };

/** The registry package that holds each runtime's Linux x64 binary, and the binary's path in it. */
function source(runtime) {
  if (runtime === "bun") {
    // Bun's default build needs AVX2; its baseline build runs on older x64 CPUs.
    const avx2 = (() => {
      try {
        return /\bavx2\b/.test(readFileSync("/proc/cpuinfo", "utf8"));
      } catch {
        return true;
      }
    })();
    return { name: avx2 ? "@oven/bun-linux-x64" : "@oven/bun-linux-x64-baseline", binary: join("bin", "bun") };
  }
  if (runtime === "deno") return { name: "@deno/linux-x64-glibc", binary: "deno" };
  throw new Error(`runtime-binary: no such runtime "${runtime}"; known: ${Object.keys(PINNED).join(", ")}.`);
}

export function runtimeBinary(runtime) {
  if (process.platform !== "linux" || process.arch !== "x64") throw new Error(`runtime-binary: only linux-x64 is set up, not ${process.platform}-${process.arch}.`);
  const { name, binary: inPackage } = source(runtime);
  const version = PINNED[runtime];
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "penstock", runtime, version);
  const binary = join(cache, inPackage);
  if (existsSync(binary)) return binary;
  unpackInto(`${name}@${version}`, cache, "runtime-binary");
  if (!existsSync(binary)) throw new Error(`runtime-binary: ${name}@${version} has no ${inPackage}.`);
  return binary;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runtimes = process.argv.slice(2);
  if (runtimes.length === 0) {
    console.error(`usage: node scripts/runtime-binary.mjs bun|deno ...  (pinned: ${JSON.stringify(PINNED)})`);
    process.exit(2);
  }
  for (const runtime of runtimes) console.log(runtimeBinary(runtime));
}
