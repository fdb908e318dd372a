// Jest global setup: one redis-server for the whole run; its URL reaches the test workers
// through the environment (they are started after this runs).
import { startRedisServer } from "./redis-server";

export default async function globalSetup(): Promise<void> {
  const redis = await startRedisServer();
  process.env.PENSTOCK_TEST_REDIS_URL = redis.url;
  (globalThis as { __penstockRedis?: typeof redis }).__penstockRedis = redis;
}
