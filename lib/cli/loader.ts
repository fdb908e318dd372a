// The loading process of import mode: imports the user's modules with PENSTOCK_CLI=1 and a
// silent backend, and reports to the command what they registered, or how loading failed.
// It is a process of its own so that nothing a module does (write to stdout, call
// process.exit, keep a server listening, await forever) can reach the command's output or
// keep it from ending: the command reads fd 3 and gives up after --timeout.
import { writeSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { configure } from "../config/configure";
import { getRegistry } from "../registry/registry";
import type { Backend, StepInfo } from "../types";
import { describeFailure } from "./failure";
import { LOADER_FD, type LoaderMessage } from "./loader-protocol";

/** No span, no log line: a module that calls its own steps while loading stays quiet. */
const SILENT: Backend = { name: "silent", span: (_info, run) => run(), getCorrelationId: () => undefined };

// A pipe can be full for a moment (a large registry): wait a millisecond and write the rest.
function send(message: LoaderMessage): void {
  const bytes = Buffer.from(`${JSON.stringify(message)}\n`);
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(LOADER_FD, bytes, written);
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EAGAIN") return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

function registeredSteps(): StepInfo[] {
  const registry = getRegistry();
  return registry.flowNames().flatMap((flow) => Object.values(registry.flow(flow).steps));
}

/** Loads `modules` (paths as given, relative to the working directory) and ends the process. */
export async function runLoader(modules: readonly string[]): Promise<never> {
  let current: string | undefined;
  let reported = false;
  const fail = (message: LoaderMessage): never => {
    reported = true;
    send(message);
    process.exit(2);
  };
  // process.exit() is told apart from a process that ends because nothing is left to wait
  // for (a top-level await on a promise nothing will settle: Node's exit code 13).
  let exitCalled = false;
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    exitCalled = true;
    return exit(code as number | undefined);
  }) as typeof process.exit;
  process.on("exit", (code) => {
    if (!reported) send({ kind: exitCalled ? "exit" : "ended", module: current, code });
  });
  // Nothing left to wait for while a module is loading: its top-level await can never settle.
  // Said now, before Node's own warning (which the command would pass on from stderr).
  process.on("beforeExit", (code) => {
    if (reported) return;
    reported = true;
    send({ kind: "ended", module: current, code });
    exit(2);
  });
  process.on("uncaughtException", (error) => fail({ kind: "failed", module: current, error: describeFailure(error) }));
  process.on("unhandledRejection", (error) => fail({ kind: "failed", module: current, error: describeFailure(error) }));
  configure(SILENT);
  // penstock's own run-time warnings (a flow called at load time with an unknown `after` name)
  // are the command's to report (penstock check does); the app's others are passed on.
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    const options = rest[0];
    const code = options !== null && typeof options === "object" ? (options as { code?: unknown }).code : rest[1];
    if (typeof code === "string" && code.startsWith("PENSTOCK_")) return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
  const cwd = process.cwd();
  // TypeScript files import like the others: the command registered tsx (node --import).
  for (const given of modules) {
    current = given;
    send({ kind: "loading", module: given });
    try {
      await import(pathToFileURL(resolve(cwd, given)).href);
    } catch (error) {
      fail({ kind: "failed", module: given, error: describeFailure(error) });
    }
  }
  current = undefined;
  reported = true;
  send({ kind: "registry", steps: registeredSteps() });
  // A module may keep the event loop alive (a server, a connection): loading is done.
  process.exit(0);
}
