// Where a registration was made: the caller's frame, read once at wrap time from the stack.
import { isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

// A V8 frame line is `at fn (file:line:column)`, `at file:line:column`, maybe with `async `.
const FRAME = /^at\s+(?:async\s+)?(?:.*\((.*)\)|(.*))$/;
const POSITION = /^(.*):(\d+):(\d+)$/;

/** `file` as written in a source: a path relative to `cwd` when it is under it, with `/`. */
export function displayPath(file: string, cwd: string): string {
  let path = file;
  if (path.startsWith("file://")) {
    try {
      path = fileURLToPath(path);
    } catch {
      return file;
    }
  }
  if (!isAbsolute(path)) return path;
  const inside = relative(cwd, path);
  return inside === "" || inside.startsWith("..") || isAbsolute(inside) ? path : inside.split(sep).join("/");
}

// A module registers many steps: its path is made relative once (per working directory).
const displayed = new Map<string, string>();
let displayedFor = "";

function cachedDisplayPath(file: string, cwd: string): string {
  if (cwd !== displayedFor) {
    displayed.clear();
    displayedFor = cwd;
  }
  let path = displayed.get(file);
  if (path === undefined) {
    path = displayPath(file, cwd);
    if (displayed.size < 10_000) displayed.set(file, path);
  }
  return path;
}

/** `file:line:column` from one frame line of a V8 stack, or undefined when it has none. */
export function frameSite(frame: string, cwd: string): string | undefined {
  const parts = FRAME.exec(frame.trim());
  const match = POSITION.exec(parts?.[1] ?? parts?.[2] ?? "");
  if (match === null || match[1] === undefined || match[1] === "" || match[1] === "native") return undefined;
  // A query or hash (a module re-imported as `x.mjs?v=2`) is the same file.
  const file = match[1].startsWith("file://") ? match[1].replace(/[?#].*$/, "") : match[1];
  return `${cachedDisplayPath(file, cwd)}:${match[2]}:${match[3]}`;
}

/**
 * The site of the call of the public function that called `below` (`entrypoint`, `step`, a
 * flow builder's method): one frame is formatted, so it costs a few microseconds per wrap and
 * nothing per call. Source maps apply when the process has them on (tsx, --enable-source-maps).
 */
export function callerSite(below: (...args: never[]) => unknown): string | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  try {
    // The public function's own frame, then its caller's.
    Error.stackTraceLimit = 2;
    Error.captureStackTrace(holder, below);
    const frame = holder.stack?.split("\n").filter((line) => line.trimStart().startsWith("at "))[1];
    return frame === undefined ? undefined : frameSite(frame, process.cwd());
  } catch {
    // A frozen Error or a stack formatter that throws: the site is unknown, the wrap goes on.
    return undefined;
  } finally {
    try {
      Error.stackTraceLimit = limit;
    } catch {
      // Not writable: nothing was changed.
    }
  }
}
