// One registry package, unpacked into a cache folder: `npm pack`, then extracted, then moved
// into place whole (a half-extracted cache is never left behind). Shared by node-binary.mjs and
// runtime-binary.mjs, which fetch runtimes shipped as npm packages.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Unpacks `spec` (`name@version`) into `cache`, replacing what was there; `label` names the caller in errors. */
export function unpackInto(spec, cache, label) {
  const work = mkdtempSync(join(tmpdir(), `penstock-${label}-`));
  try {
    execFileSync("npm", ["pack", spec, "--silent", "--pack-destination", work], { stdio: ["ignore", "ignore", "inherit"] });
    const tarball = readdirSync(work).find((file) => file.endsWith(".tgz"));
    if (tarball === undefined) throw new Error(`${label}: npm pack ${spec} produced no tarball.`);
    execFileSync("tar", ["-xzf", join(work, tarball), "-C", work]);
    mkdirSync(join(cache, ".."), { recursive: true });
    rmSync(cache, { recursive: true, force: true });
    renameSync(join(work, "package"), cache);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
