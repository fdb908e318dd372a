// Test support: a real pino logger writing JSON lines into memory.
import pino, { type Logger } from "pino";
import { Writable } from "node:stream";

export interface CapturedLogger {
  readonly logger: Logger;
  /** Every record written so far, parsed. */
  records(): Record<string, unknown>[];
}

export function captureLogger(options: pino.LoggerOptions = {}): CapturedLogger {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      callback();
    },
  });
  // A sync pino destination would need a file descriptor; a Writable is flushed synchronously by pino.
  const logger = pino({ name: "test", ...options }, stream);
  return { logger, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
