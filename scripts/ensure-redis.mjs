// Run before the tests (npm's pretest): the BullMQ specs and example need a real redis-server.
// Installs it with apt-get when missing and running as root (CI containers); otherwise says how.
//
//   node scripts/ensure-redis.mjs
//   PENSTOCK_REDIS_SERVER=<command> overrides the command looked for (used to test this script).
import { spawnSync } from "node:child_process";

const command = process.env.PENSTOCK_REDIS_SERVER || "redis-server";
const INSTALL = "apt-get update && apt-get install -y redis-server";

function found() {
  const result = spawnSync(command, ["--version"], { encoding: "utf8" });
  return result.status === 0;
}

if (found()) process.exit(0);

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!isRoot) {
  console.error(
    `penstock tests: "${command}" was not found. The BullMQ tests run against a real Redis: ` +
      `install the package redis-server (Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y redis-server), or put redis-server on the PATH.`,
  );
  process.exit(1);
}

console.error(`penstock tests: "${command}" was not found; installing the package redis-server (${INSTALL}).`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["update"], ["install", "-y", "--no-install-recommends", "redis-server"]]) {
  const result = spawnSync("apt-get", args, { stdio: ["ignore", "inherit", "inherit"], env });
  if (result.status !== 0) {
    console.error(`penstock tests: "apt-get ${args.join(" ")}" failed (${result.error?.message ?? `exit ${result.status}`}). Install the package redis-server yourself: ${INSTALL}`);
    process.exit(1);
  }
}
if (!found()) {
  console.error(`penstock tests: redis-server was installed but "${command}" still does not run.`);
  process.exit(1);
}
