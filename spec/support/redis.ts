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
import { createConnection, createServer } from "node:net";
import { ensureAptPackage, installHint, runCommand, type AptPackage } from "./apt-package";

export interface Redis {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); resolves once it has exited. */
  stop(): Promise<void>;
}

/** For the beforeAll that calls startRedis() or ensureRedisServer(): an apt-get install (maybe after another's) can take minutes. */
export const REDIS_SETUP_TIMEOUT = 600_000;

function command(): string {
  return process.env.PENSTOCK_REDIS_SERVER || "redis-server";
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const REDIS_PACKAGE: AptPackage = {
  name: "redis-server",
  get command() {
    return command();
  },
  found: async () => (await runCommand(command(), ["--version"])).status === 0,
  neededFor: "The BullMQ specs run against a real Redis",
  otherwise: "or put redis-server on the PATH",
  timeoutMs: REDIS_SETUP_TIMEOUT,
};
const INSTALL_HINT = installHint(REDIS_PACKAGE);

/**
 * Makes sure redis-server runs: installs the package redis-server with apt-get when it is
 * missing and this process runs as root, else throws saying how to install it (see
 * ./apt-package.ts: one install at a time across jest workers).
 */
export function ensureRedisServer(): Promise<void> {
  return ensureAptPackage(REDIS_PACKAGE);
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
