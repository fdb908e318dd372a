// penstock's default logger: `pino({ name: "penstock" })` writing synchronously to stdout, one
// per process. Synchronous, so a completed call's lines are written before it returns: nothing
// is lost on process.exit, an uncaught exception, a signal's default handling or in a worker
// thread, and a stalled reader blocks the writer instead of growing a buffer
// (docs/reliability.md; the cost is in docs/performance.md). One per process, in the global
// slot, so that configure() and a second copy of penstock never add a writer to fd 1.
import type { Logger } from "pino";
import pinoForConsole from "pino/browser.js";
import { globalSingleton } from "../internal/global";
import { moduleRequire } from "../internal/module-require";

type Pino = typeof import("pino");

const slot: { logger: Logger | undefined } = globalSingleton("defaultLogger@1", () => ({ logger: undefined }));

/**
 * pino, loaded with Node's own `require` at first use: pino is CommonJS and requires Node's
 * built-ins, which an ESM bundle cannot do ("Dynamic require of node:os"). A bundler leaves
 * this require to Node, so the app's bundle loads pino from node_modules (docs/guide.md,
 * "Bundling").
 */
export function loadPino(): Pino {
  return moduleRequire()("pino") as Pino;
}

/** The default logger, made on first use. */
export function defaultLogger(): Logger {
  if (slot.logger === undefined) {
    let pino: Pino | undefined;
    try {
      pino = loadPino();
    } catch {
      // No Node require that finds pino (a Cloudflare Worker): pino's browser build, which has no Node built-ins.
    }
    slot.logger = pino === undefined ? consoleLogger() : pino({ name: "penstock" }, pino.destination({ dest: 1, sync: true }));
  }
  return slot.logger;
}

/** pino's browser build writing one JSON line per record through console.log, as Workers' logs expect. */
function consoleLogger(): Logger {
  return pinoForConsole({ name: "penstock", browser: { write: (record: object) => console.log(JSON.stringify(record)) } });
}
