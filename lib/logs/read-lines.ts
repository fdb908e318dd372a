// The lines of a log source: a file, or "-" for stdin; gzip is told by its magic bytes (not the
// extension) and inflated with node:zlib as it streams; the text is split into lines a chunk
// at a time (a batch per chunk: a promise per line would cost more than the line's parse).
import { accessSync, constants, createReadStream, statSync } from "node:fs";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { PenstockError } from "../errors";

/** "-": read standard input. */
export const STDIN = "-";

/** Every file is there and readable (stdin aside): checked before any is read, so a typo costs no wait. */
export function checkLogFiles(files: readonly string[], cwd: string): void {
  if (files.length === 0) throw new PenstockError("INVALID_ARGUMENT", "no log file given: pass the files to read, or - for standard input.");
  for (const file of files) {
    if (file === STDIN) continue;
    const path = resolve(cwd, file);
    try {
      accessSync(path, constants.R_OK);
      if (statSync(path).isDirectory()) throw Object.assign(new Error("it is a directory"), { code: "EISDIR" });
    } catch (error) {
      throw new PenstockError("INVALID_ARGUMENT", `cannot read log file ${file}: ${reason(error)}.`, { cause: error });
    }
  }
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  return error instanceof Error ? error.message : String(error);
}

const isGzip = (chunk: Buffer): boolean => chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;

/** The stream's bytes, inflated when its first two bytes are gzip's. */
async function* decoded(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  // The magic is two bytes, and a pipe may hand over one at a time.
  let head = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await iterator.next();
    if (next.done === true) break;
    head = Buffer.concat([head, typeof next.value === "string" ? Buffer.from(next.value) : next.value]);
  }
  if (head.length === 0) return;
  const rest = (async function* () {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  })();
  if (!isGzip(head)) {
    yield* rest as AsyncGenerator<Buffer>;
    return;
  }
  yield* Readable.from(rest).pipe(createGunzip()) as AsyncIterable<Buffer>;
}

/** A line longer than this (no newline in 16 MB) is dropped, so that memory stays bounded. */
export const MAX_LINE_LENGTH = 16 * 1024 * 1024;

/** What {@link logLineBatches} yields: the lines of one chunk, and how many overlong lines were dropped so far. */
export interface LineBatch {
  readonly lines: readonly string[];
  readonly dropped: number;
}

/**
 * The lines of `file` (relative to `cwd`, or "-" for `stdin`), streamed a chunk at a time. A
 * read or inflate error is a PenstockError naming the file.
 *
 * @example
 * for await (const { lines } of logLineBatches("web.log.gz", process.cwd(), process.stdin)) ...
 */
export async function* logLineBatches(file: string, cwd: string, stdin: NodeJS.ReadableStream): AsyncGenerator<LineBatch> {
  const raw = file === STDIN ? stdin : createReadStream(resolve(cwd, file), { highWaterMark: 1 << 16 });
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let dropped = 0;
  try {
    for await (const chunk of decoded(raw as AsyncIterable<Buffer>)) {
      const lines = (rest + decoder.write(chunk)).split("\n");
      rest = lines.pop()!;
      if (rest.length > MAX_LINE_LENGTH) {
        rest = "";
        dropped++;
      }
      yield { lines, dropped };
    }
    rest += decoder.end();
    if (rest.length > 0) yield { lines: [rest], dropped };
  } catch (error) {
    throw new PenstockError("INVALID_ARGUMENT", `cannot read log file ${file === STDIN ? "(standard input)" : file}: ${reason(error)}.`, { cause: error });
  } finally {
    if (file !== STDIN) (raw as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
}
