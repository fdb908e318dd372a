// The `penstock` bin (dist/cli.js): runs the command, then ends the process. Run by the
// command itself with PENSTOCK_CLI_LOADER=1, it is import mode's loading process instead.
import { runLoader } from "./loader";
import { LOADER_ENV } from "./loader-protocol";
import { runCli } from "./run";

if (process.env[LOADER_ENV] === "1") {
  // Not for the modules' own child processes.
  delete process.env[LOADER_ENV];
  await runLoader(process.argv.slice(2));
}

// A reader that stops early (`penstock dag ... | head`) closes the pipe: no reason to crash.
process.stdout.on("error", () => undefined);
process.stderr.on("error", () => undefined);

// Resolves once what was written has been handed to the system (or the stream is gone).
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed) resolve();
    else stream.write("", () => resolve());
  });
}

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
// Should the process end on its own while output drains, it ends with the right code.
process.exitCode = code;
// A pipe that stays full (a reader that never reads) must not keep the command from ending.
const patience = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
await Promise.race([Promise.all([flushed(process.stdout), flushed(process.stderr)]), patience]);
// The user's modules (or tsx's loader thread) may keep the event loop alive; the command is done.
process.exit(code);
