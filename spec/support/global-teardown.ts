// Jest global teardown: stops the redis-server of the global setup.
import type { RedisServer } from "./redis-server";

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __penstockRedis?: RedisServer }).__penstockRedis?.stop();
}
