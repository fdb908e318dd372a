// Test support: a throwaway redis-server for the specs that need Redis (the BullMQ specs and
// the BullMQ example), started by those specs themselves, so that every other spec runs
// without Redis installed:
//
//   let redis: Redis;
//   beforeAll(async () => (redis = await startRedis()), REDIS_SETUP_TIMEOUT);
//   afterAll(() => redis?.stop());
//
// It listens on 127.0.0.1 only, on a free port, without persistence. redis-server must be on
// the PATH: when it is missing and the tests run as root (a CI container), it is installed
// with apt-get (the Debian package redis-server); otherwise the spec fails saying how to
// install it. PENSTOCK_REDIS_SERVER=<command> overrides the command looked for (to try this).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Redis {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); resolves once it has exited. */
  stop(): Promise<void>;
}

/** For the beforeAll that calls startRedis() or ensureRedisServer(): an apt-get install can take minutes. */
export const REDIS_SETUP_TIMEOUT = 300_000;

const PACKAGE = "redis-server";
const INSTALL_HINT = `install the Debian/Ubuntu package ${PACKAGE} (sudo apt-get update && sudo apt-get install -y ${PACKAGE}), or put redis-server on the PATH`;

function command(): string {
  return process.env.PENSTOCK_REDIS_SERVER || "redis-server";
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
  return (await run(command(), ["--version"])).status === 0;
}

/**
 * Makes sure redis-server runs: installs the package redis-server with apt-get when it is
 * missing and this process runs as root, else throws saying how to install it. Jest workers
 * running specs in parallel install it once, one at a time (a lock directory in the temp dir).
 */
export async function ensureRedisServer(): Promise<void> {
  if (await found()) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`penstock tests: "${command()}" was not found. The BullMQ specs run against a real Redis: ${INSTALL_HINT}.`);
  }
  await withInstallLock(async () => {
    if (await found()) return; // another jest worker installed it meanwhile
    process.stderr.write(`penstock tests: "${command()}" was not found; installing the package ${PACKAGE} with apt-get (running as root).\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = ["install", "-y", "--no-install-recommends", PACKAGE];
    // Straight from the package lists when they are there; a fresh container has none.
    let result = await run("apt-get", install, env);
    if (result.error !== undefined) throw aptFailed(`apt-get ${install.join(" ")}`, result); // no apt-get at all
    if (result.status !== 0) {
      const update = await run("apt-get", ["update"], env);
      if (update.status !== 0) throw aptFailed("apt-get update", update);
      result = await run("apt-get", install, env);
    }
    if (result.status !== 0) throw aptFailed(`apt-get ${install.join(" ")}`, result);
    if (!(await found())) throw new Error(`penstock tests: the package ${PACKAGE} was installed but "${command()}" still does not run.`);
  });
}

function aptFailed(what: string, result: Ran): Error {
  const why = result.error?.message ?? `exit ${result.status}`;
  return new Error(`penstock tests: "${what}" failed (${why}); ${INSTALL_HINT}.\n${result.output.split("\n").slice(-20).join("\n")}`);
}

async function withInstallLock(fn: () => Promise<void>): Promise<void> {
  const lock = join(tmpdir(), "penstock-redis-install.lock");
  const deadline = Date.now() + REDIS_SETUP_TIMEOUT - 30_000;
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
    if (age > REDIS_SETUP_TIMEOUT) rmSync(lock, { recursive: true, force: true }); // left by a killed run
    else if (Date.now() > deadline) throw new Error(`penstock tests: waited too long for another install of ${PACKAGE} (lock ${lock}).`);
    else await sleep(250);
  }
  try {
    await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    let reply = "";
    socket.setTimeout(1_000);
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      if (reply.includes("\r\n")) {
        socket.destroy();
        resolve(reply.startsWith("+PONG"));
      }
    });
    socket.on("timeout", () => socket.destroy());
    socket.on("error", () => resolve(false));
    socket.on("close", () => resolve(false));
  });
}

/** Starts redis-server on `port`; undefined when it exited at once (the port was taken meanwhile). */
async function startOn(port: number): Promise<ChildProcess | undefined> {
  const child = spawn(command(), ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let running = true;
  child.once("exit", () => (running = false));
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  for (let attempt = 0; attempt < 100; attempt++) {
    const failed = await Promise.race([spawnError, sleep(50).then(() => undefined)]);
    if (failed !== undefined) throw new Error(`penstock tests: could not start "${command()}" (${failed.message}): ${INSTALL_HINT}.`);
    if (!running) return undefined;
    if (await ping(port)) return child;
  }
  child.kill("SIGKILL");
  throw new Error(`penstock tests: redis-server on port ${port} did not answer PING within 5 s: ${stderr}`);
}

/**
 * Starts redis-server (installed first if need be, see ensureRedisServer) on a free
 * 127.0.0.1 port and waits until it answers PING. Call `stop()` in afterAll.
 */
export async function startRedis(): Promise<Redis> {
  await ensureRedisServer();
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = await startOn(port);
    if (child === undefined) continue;
    // A worker that exits without running afterAll still takes its server down.
    const killOnExit = (): void => void child.kill("SIGKILL");
    process.once("exit", killOnExit);
    let stopped: Promise<void> | undefined;
    return {
      url: `redis://127.0.0.1:${port}`,
      stop: () =>
        (stopped ??= new Promise<void>((resolve) => {
          process.removeListener("exit", killOnExit);
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
          child.once("exit", () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill("SIGTERM");
        })),
    };
  }
  throw new Error("penstock tests: redis-server could not bind a free loopback port in 5 attempts.");
}
