// Test support: a Debian package a spec needs (redis-server, chromium), installed with apt-get
// by the spec itself when it is missing and the tests run as root (a CI container); otherwise
// the spec fails saying how to install it.
//
// One lock for every package: jest workers (and the Node versions' runs) install one package at
// a time, because two apt-get processes at once fail on dpkg's lock. apt-get also waits for a
// lock held by anything else (DPkg::Lock::Timeout) instead of failing at once.
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Ran {
  readonly status: number | null;
  readonly output: string;
  readonly error?: Error;
}

/** Runs a command to its end; never rejects (a missing command is `error`). */
export function runCommand(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", (error) => resolve({ status: null, output, error }));
    child.once("close", (status) => resolve({ status, output }));
  });
}

export interface AptPackage {
  /** The Debian package, e.g. "redis-server". */
  readonly name: string;
  /** The command the spec runs, for the messages. */
  readonly command: string;
  /** Whether the command runs now. */
  readonly found: () => Promise<boolean>;
  /** Why the spec needs it, for the message when it cannot be installed. */
  readonly neededFor: string;
  /** How to get it otherwise (after "install the Debian package ..."), e.g. "or set PENSTOCK_CHROMIUM". */
  readonly otherwise: string;
  /** How long the whole install may take, lock wait included. */
  readonly timeoutMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function installHint(pkg: AptPackage): string {
  return `install the Debian package ${pkg.name} (sudo apt-get update && sudo apt-get install -y ${pkg.name}), ${pkg.otherwise}`;
}

/** Makes sure `pkg.command` runs, installing `pkg.name` with apt-get when root; else throws saying how. */
export async function ensureAptPackage(pkg: AptPackage): Promise<void> {
  if (await pkg.found()) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) throw new Error(`penstock tests: "${pkg.command}" was not found. ${pkg.neededFor}: ${installHint(pkg)}.`);
  await withInstallLock(pkg, async () => {
    if (await pkg.found()) return; // another jest worker installed it meanwhile
    process.stderr.write(`penstock tests: "${pkg.command}" was not found; installing the package ${pkg.name} with apt-get (running as root).\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const lockWait = ["-o", `DPkg::Lock::Timeout=${Math.floor(pkg.timeoutMs / 2000)}`];
    const install = [...lockWait, "install", "-y", "--no-install-recommends", pkg.name];
    // Straight from the package lists when they are there; a fresh container has none.
    let result = await runCommand("apt-get", install, env);
    if (result.error !== undefined) throw aptFailed(pkg, `apt-get ${install.join(" ")}`, result); // no apt-get at all
    if (result.status !== 0) {
      const update = await runCommand("apt-get", [...lockWait, "update"], env);
      if (update.status !== 0) throw aptFailed(pkg, "apt-get update", update);
      result = await runCommand("apt-get", install, env);
    }
    if (result.status !== 0) throw aptFailed(pkg, `apt-get ${install.join(" ")}`, result);
    if (!(await pkg.found())) throw new Error(`penstock tests: the package ${pkg.name} was installed but "${pkg.command}" still does not run.`);
  });
}

function aptFailed(pkg: AptPackage, what: string, result: Ran): Error {
  const why = result.error?.message ?? `exit ${result.status}`;
  return new Error(`penstock tests: "${what}" failed (${why}); ${installHint(pkg)}.\n${result.output.split("\n").slice(-20).join("\n")}`);
}

async function withInstallLock(pkg: AptPackage, fn: () => Promise<void>): Promise<void> {
  const lock = join(tmpdir(), "penstock-apt-install.lock");
  const deadline = Date.now() + pkg.timeoutMs - 30_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let age = 0;
    try {
      age = Date.now() - statSync(lock).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    if (age > pkg.timeoutMs) rmSync(lock, { recursive: true, force: true }); // left by a killed run
    else if (Date.now() > deadline) throw new Error(`penstock tests: waited too long for another apt-get install to end before installing ${pkg.name} (lock ${lock}).`);
    else await sleep(250);
  }
  try {
    await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
