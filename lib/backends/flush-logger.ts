// The logging backend's flush(): what the logger's destination still buffers, written.
import type { Logger } from "pino";
import { reportFault } from "../config/faults";

/**
 * Resolves once `logger` has written what it buffers (pino's `flush(cb)`); at once for a
 * logger without `flush`, or whose `flush` takes no callback. Never rejects: a destination that cannot flush is a tracing fault,
 * reported, and the caller's shutdown goes on.
 */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const flush = (logger as { flush?: unknown }).flush;
    if (typeof flush !== "function") return resolve();
    try {
      // A flush that takes no callback (pino's browser build: a no-op) never calls one back.
      if (flush.length === 0) {
        flush.call(logger);
        return resolve();
      }
      (flush as Logger["flush"]).call(logger, (error?: Error) => {
        if (error !== undefined && error !== null) reportFault("flush", error);
        resolve();
      });
    } catch (error) {
      reportFault("flush", error);
      resolve();
    }
  });
}
