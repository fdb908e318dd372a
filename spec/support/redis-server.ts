// Test support: a throwaway redis-server on a free loopback port, for the BullMQ specs and
// example. No persistence; stopped by the global teardown.
import { spawn, type ChildProcess } from "node:child_process";
import { createConnection, createServer } from "node:net";

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
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

async function startOn(port: number): Promise<ChildProcess | undefined> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  for (let attempt = 0; attempt < 100; attempt++) {
    const failed = await Promise.race([spawnError, new Promise<undefined>((resolve) => setTimeout(resolve, 50, undefined))]);
    if (failed !== undefined) {
      throw new Error(`could not start redis-server (${failed.message}): install the package redis-server (npm test runs scripts/ensure-redis.mjs first).`);
    }
    if (!running) return undefined; // the port was taken between freePort() and the start: try another
    if (await ping(port)) return child;
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server on port ${port} did not answer PING within 5 s: ${stderr}`);
}

/** Starts redis-server on a free 127.0.0.1 port and waits until it answers PING. */
export async function startRedisServer(): Promise<RedisServer> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = await startOn(port);
    if (child === undefined) continue;
    return {
      url: `redis://127.0.0.1:${port}`,
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    };
  }
  throw new Error("redis-server could not bind a free loopback port in 5 attempts.");
}
