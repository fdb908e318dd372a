// Test support: install the packed package into a scratch consumer folder and run scripts there
// with plain `node`, as a user would (no ts-jest, no self-reference to the repository).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(__dirname, "../..");

export interface Consumer {
  readonly dir: string;
  /** Runs `node <script>` inside the consumer folder; returns stdout, throws with stderr on failure. */
  run(script: string, args?: readonly string[]): string;
  /**
   * Runs the installed package's `penstock` bin (the file its package.json `bin` names) with
   * plain `node`, in the consumer folder or `cwd` inside it, whatever its exit code.
   */
  bin(args: readonly string[], options?: BinOptions): BinResult;
  remove(): void;
}

export interface BinOptions {
  /** Inside the consumer folder. */
  readonly cwd?: string;
  /** Added to the environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Run as this user and group (when the tests run as root). */
  readonly uid?: number;
  readonly gid?: number;
  /** The node binary (default: the one running the tests). */
  readonly node?: string;
  /** What the command reads on standard input. */
  readonly input?: string | Buffer;
}

export interface BinResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ConsumerOptions {
  /**
   * Packages (or scopes, such as "@opentelemetry") the consumer must not have. The folder is
   * then made outside the repository, with links to every other installed package.
   */
  readonly without?: readonly string[];
}

/**
 * Packs the built package (`npm pack`, so the `files` whitelist and `exports` map are what is
 * tested) and unpacks it as `node_modules/penstock` of a scratch folder. By default the folder
 * sits inside the repository, so penstock's dependencies (pino, zod) resolve from the
 * repository's node_modules, without network.
 */
export function packedConsumer(fixtures: string, options: ConsumerOptions = {}): Consumer {
  if (!existsSync(join(repoRoot, "dist", "index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm test does it in pretest).");
  }
  const isolated = options.without !== undefined;
  const scratchRoot = isolated ? tmpdir() : join(repoRoot, ".scratch");
  mkdirSync(scratchRoot, { recursive: true });
  const dir = mkdtempSync(join(scratchRoot, "penstock-consumer-"));
  if (isolated) linkInstalledPackages(join(dir, "node_modules"), options.without!);
  const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: repoRoot, encoding: "utf8" }).trim().split("\n").pop()!;
  const target = join(dir, "node_modules", "penstock");
  mkdirSync(target, { recursive: true });
  execFileSync("tar", ["-xzf", join(dir, packed), "-C", target, "--strip-components=1"]);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }));
  for (const file of readdirSync(fixtures)) cpSync(join(fixtures, file), join(dir, file), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(target, "package.json"), "utf8")) as { bin?: Record<string, string> };
  return {
    dir,
    bin(args, options = {}) {
      const script = manifest.bin?.penstock;
      if (script === undefined) throw new Error("the packed package.json has no bin.penstock");
      const result = spawnSync(options.node ?? process.execPath, [join(target, script), ...args], {
        cwd: options.cwd === undefined ? dir : join(dir, options.cwd),
        encoding: "utf8",
        timeout: 60_000,
        maxBuffer: 64 << 20,
        ...(options.input === undefined ? {} : { input: options.input }),
        ...(options.env === undefined ? {} : { env: { ...process.env, ...options.env } }),
        ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
      });
      if (result.error !== undefined) throw result.error;
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    run(script, args = []) {
      const result = spawnSync(process.execPath, [script, ...args], { cwd: dir, encoding: "utf8", timeout: 60_000 });
      if (result.status !== 0) throw new Error(`node ${script} exited ${result.status}:\n${result.stderr}\n${result.stdout}`);
      return result.stdout;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function linkInstalledPackages(target: string, without: readonly string[]): void {
  mkdirSync(target, { recursive: true });
  const installed = join(repoRoot, "node_modules");
  for (const entry of readdirSync(installed)) {
    if (entry.startsWith(".") || without.includes(entry)) continue;
    symlinkSync(join(installed, entry), join(target, entry));
  }
}
