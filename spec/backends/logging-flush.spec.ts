// The logging backend's flush(): the documented `getBackend().flush?.()` before exit. (One
// default logger across configure() calls: spec/reliability/default-logger.spec.ts.)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { configure, entrypoint, getBackend, loggingBackend } from "../../lib";
import { resetPenstock } from "../../lib/testing";

let dir: string;
beforeEach(() => {
  resetPenstock();
  dir = mkdtempSync(join(tmpdir(), "penstock-flush-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lineCount = (file: string): number => readFileSync(file, "utf8").split("\n").filter(Boolean).length;

test("flush() resolves once an asynchronous destination has written every line of the calls made", async () => {
  const file = join(dir, "log.ndjson");
  // Lines are buffered until 8 KB have gathered (16 records stay below it): nothing is written until flushed.
  const destination = pino.destination({ dest: file, sync: false, minLength: 8192 });
  await new Promise((resolve) => destination.once("ready", resolve));
  configure(loggingBackend({ logger: pino(destination) }));
  const double = entrypoint("double", (n: number) => n * 2);
  for (let i = 0; i < 8; i++) expect(double(i)).toBe(i * 2);
  expect(lineCount(file)).toBe(0);
  const flush = getBackend().flush;
  expect(typeof flush).toBe("function");
  await flush!();
  expect(lineCount(file)).toBe(16);
  destination.end();
});

test("flush() of a logger without flush() resolves, and one whose flush fails resolves and reports the fault", async () => {
  const levels = { fatal() {}, error() {}, warn() {}, info() {}, debug() {}, trace() {}, isLevelEnabled: () => true };
  const onError = jest.fn();
  configure({ backend: loggingBackend({ logger: levels as unknown as pino.Logger }), onError });
  await expect(getBackend().flush!()).resolves.toBeUndefined();
  const failing = { ...levels, flush: (cb: (error?: Error) => void) => cb(new Error("disk gone")) };
  configure({ backend: loggingBackend({ logger: failing as unknown as pino.Logger }) });
  await expect(getBackend().flush!()).resolves.toBeUndefined();
  const throwing = { ...levels, flush: () => { throw new Error("no flush today"); } };
  configure({ backend: loggingBackend({ logger: throwing as unknown as pino.Logger }) });
  await expect(getBackend().flush!()).resolves.toBeUndefined();
  expect(onError.mock.calls.map(([error]) => (error as Error).message)).toEqual(["disk gone", "no flush today"]);
});
