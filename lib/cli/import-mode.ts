// Import mode: the modules are imported in a loading process of their own (lib/cli/loader.ts),
// with PENSTOCK_CLI=1, and what they registered is registered here, where it is drawn.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { register as registerStep } from "../registry/registry";
import type { StepInfo } from "../types";
import { CliError } from "./errors";
import type { CliIO } from "./io";
import type { SourceFile } from "./inputs";
import { LOADER_ENV, LOADER_FD, type LoaderMessage } from "./loader-protocol";
import { tsxLoader } from "./tsx";

/** The variable an app can read to skip what it does only when it runs (listen(), connect()). */
export const CLI_ENV = "PENSTOCK_CLI";

// The bin itself, run again as the loading process.
const BIN = fileURLToPath(import.meta.url);

function parse(text: string): LoaderMessage[] {
  return text
    .split("\n")
    .filter((line) => line !== "")
    .flatMap((line): LoaderMessage[] => {
      try {
        return [JSON.parse(line) as LoaderMessage];
      } catch {
        return [];
      }
    });
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

function failure(messages: readonly LoaderMessage[], outcome: { code: number | null; signal: string | null; timedOut: boolean }, timeoutMs: number): CliError {
  const last = [...messages].reverse();
  const loading = last.find((m): m is Extract<LoaderMessage, { kind: "loading" }> => m.kind === "loading")?.module;
  const reason = last.find((m) => m.kind === "failed" || m.kind === "exit" || m.kind === "ended");
  if (outcome.timedOut) {
    return new CliError(
      `could not load ${loading ?? "the modules"}: it was still loading after ${seconds(timeoutMs)} (--timeout). ` +
        `A top-level await that never settles, or a connection that never answers? Skip it when process.env.${CLI_ENV} is set, raise --timeout, or read the sources with --static.`,
    );
  }
  if (reason?.kind === "failed") return new CliError(`could not load ${reason.module ?? loading ?? "the modules"}: ${reason.error}`);
  if (reason?.kind === "exit") {
    return new CliError(
      `could not load ${reason.module ?? loading ?? "the modules"}: it called process.exit(${reason.code}) while loading. ` +
        `Skip the exit when process.env.${CLI_ENV} is set, or read the sources with --static.`,
    );
  }
  if (reason?.kind === "ended") {
    return new CliError(
      `could not load ${reason.module ?? loading ?? "the modules"}: its loading can never finish: a top-level await waits on a promise nothing will settle (Node ended the process: nothing was left to wait for).`,
    );
  }
  const how = outcome.signal === null ? `with code ${String(outcome.code)}` : `by signal ${outcome.signal}`;
  return new CliError(`could not load ${loading ?? "the modules"}: the loading process ended ${how} before it was done.`);
}

/**
 * Imports `files` in a loading process and registers what they registered. Throws a CliError
 * naming the module for a module that throws, exits or is still loading after `timeoutMs`.
 */
export async function importModules(files: readonly SourceFile[], timeoutMs: number, io: CliIO): Promise<void> {
  process.env[CLI_ENV] = "1";
  const typescript = files.find((file) => file.typescript);
  const register = typescript === undefined ? [] : ["--import", tsxLoader(io.cwd, typescript.given)];
  const child = spawn(process.execPath, [...process.execArgv, ...register, BIN, ...files.map((file) => file.given)], {
    cwd: io.cwd,
    env: { ...process.env, [CLI_ENV]: "1", [LOADER_ENV]: "1" },
    // The modules' own stdout never reaches the drawing; their stderr is the user's to see.
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  const channel = child.stdio[LOADER_FD] as import("node:stream").Readable;
  let text = "";
  channel.setEncoding("utf8");
  channel.on("data", (chunk: string) => (text += chunk));
  child.stderr!.on("data", (chunk: Buffer) => io.err(chunk.toString("utf8")));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const outcome = await new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  // What the process wrote before it ended is read to the end (a process it started may hold
  // the pipe open: a moment, then it is closed).
  await new Promise<void>((resolve) => {
    if (channel.readableEnded) return resolve();
    const grace = setTimeout(resolve, 1_000);
    channel.on("end", () => (clearTimeout(grace), resolve()));
  });
  child.stdio.forEach((stream) => stream?.destroy());
  const messages = parse(text);
  const done = messages.find((m): m is Extract<LoaderMessage, { kind: "registry" }> => m.kind === "registry");
  if (done === undefined || timedOut) throw failure(messages, { ...outcome, timedOut }, timeoutMs);
  for (const info of done.steps) registerStep(freeze(info));
}

function freeze(info: StepInfo): StepInfo {
  const crossFlow = info.crossFlow?.map((ref) => Object.freeze({ flow: ref.flow, step: ref.step }));
  return Object.freeze({
    name: info.name,
    flow: info.flow,
    kind: info.kind,
    after: Object.freeze([...info.after]),
    ...(info.source === undefined ? {} : { source: info.source }),
    ...(crossFlow === undefined ? {} : { crossFlow: Object.freeze(crossFlow) }),
  });
}
