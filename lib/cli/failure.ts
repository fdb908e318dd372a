// A module's failure as the user needs it: its error and stack, without penstock's own frames.
import { fileURLToPath } from "node:url";

// Frames of Node's module loader and of this command say nothing about the user's module.
const OWN_FRAMES = ["node:internal/", import.meta.url, fileURLToPath(import.meta.url)];

export function describeFailure(error: unknown): string {
  // The user's own module failed: its stack is what points at the line to fix.
  if (!(error instanceof Error)) return String(error);
  const stack = error.stack ?? `${error.name}: ${error.message}`;
  return stack
    .split("\n")
    .filter((line) => !(line.trimStart().startsWith("at ") && OWN_FRAMES.some((frame) => line.includes(frame))))
    .join("\n");
}
