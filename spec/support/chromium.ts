// Test support: Debian's Chromium, driven by playwright-core, for the specs that check a page in
// a real browser (spec/report/), started by those specs themselves:
//
//   let browser: Browser;
//   beforeAll(async () => (browser = await launchChromium()), CHROMIUM_SETUP_TIMEOUT);
//   afterAll(() => browser?.close());
//
// /usr/bin/chromium must be there: when it is missing and the tests run as root (a CI
// container), the package chromium is installed with apt-get; otherwise the spec fails saying
// how to install it. PENSTOCK_CHROMIUM=<path> overrides the executable looked for. No browser
// is downloaded (playwright-core ships none), and the browser's own background requests are off.
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";

/** For the beforeAll that calls launchChromium(): an apt-get install of chromium can take minutes. */
export const CHROMIUM_SETUP_TIMEOUT = 600_000;

const PACKAGE = "chromium";
const INSTALL_HINT = `install the Debian package ${PACKAGE} (sudo apt-get update && sudo apt-get install -y ${PACKAGE}), or set PENSTOCK_CHROMIUM to a Chromium executable`;

export function chromiumPath(): string {
  return process.env.PENSTOCK_CHROMIUM || "/usr/bin/chromium";
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Ran {
  readonly status: number | null;
  readonly output: string;
  readonly error?: Error;
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], env });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", (error) => resolve({ status: null, output, error }));
    child.once("close", (status) => resolve({ status, output }));
  });
}

async function found(): Promise<boolean> {
  return (await run(chromiumPath(), ["--version"])).status === 0;
}

function aptFailed(what: string, result: Ran): Error {
  const why = result.error?.message ?? `exit ${result.status}`;
  return new Error(`penstock tests: "${what}" failed (${why}); ${INSTALL_HINT}.\n${result.output.split("\n").slice(-20).join("\n")}`);
}

async function withInstallLock(fn: () => Promise<void>): Promise<void> {
  const lock = join(tmpdir(), "penstock-chromium-install.lock");
  const deadline = Date.now() + CHROMIUM_SETUP_TIMEOUT - 30_000;
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
    if (age > CHROMIUM_SETUP_TIMEOUT) rmSync(lock, { recursive: true, force: true }); // left by a killed run
    else if (Date.now() > deadline) throw new Error(`penstock tests: waited too long for another install of ${PACKAGE} (lock ${lock}).`);
    else await sleep(250);
  }
  try {
    await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Makes sure Chromium runs: installs the package chromium with apt-get when it is missing and
 * this process runs as root, else throws saying how to install it. Jest workers install it
 * once, one at a time (a lock directory in the temp dir).
 */
export async function ensureChromium(): Promise<void> {
  if (await found()) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) throw new Error(`penstock tests: "${chromiumPath()}" was not found. The report specs check the page in a real browser: ${INSTALL_HINT}.`);
  await withInstallLock(async () => {
    if (await found()) return; // another jest worker installed it meanwhile
    process.stderr.write(`penstock tests: "${chromiumPath()}" was not found; installing the package ${PACKAGE} with apt-get (running as root).\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = ["install", "-y", "--no-install-recommends", PACKAGE];
    let result = await run("apt-get", install, env);
    if (result.error !== undefined) throw aptFailed(`apt-get ${install.join(" ")}`, result); // no apt-get at all
    if (result.status !== 0) {
      const update = await run("apt-get", ["update"], env);
      if (update.status !== 0) throw aptFailed("apt-get update", update);
      result = await run("apt-get", install, env);
    }
    if (result.status !== 0) throw aptFailed(`apt-get ${install.join(" ")}`, result);
    if (!(await found())) throw new Error(`penstock tests: the package ${PACKAGE} was installed but "${chromiumPath()}" still does not run.`);
  });
}

/** Chromium (installed first if need be, see ensureChromium), headless. Close it in afterAll. */
export async function launchChromium(): Promise<Browser> {
  await ensureChromium();
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // --no-sandbox: containers (and root) have no user namespaces for Chromium's sandbox.
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}
