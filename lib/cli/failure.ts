// A module's failure as the user needs it: its error and stack, without penstock's own frames.
import { dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// Frames of Node's module loader, of this command and of the penstock it sits in (dist/, where
// the user's own import of penstock runs too) say nothing about the user's module.
const OWN_DIRECTORY = dirname(fileURLToPath(import.meta.url));
const OWN_FRAMES = ["node:internal/", `${pathToFileURL(OWN_DIRECTORY).href}/`, `${OWN_DIRECTORY}/`];

export function describeFailure(error: unknown): string {
  // The user's own module failed: its stack is what points at the line to fix.
  if (!(error instanceof Error)) return String(error);
  const stack = error.stack ?? `${error.name}: ${error.message}`;
  return stack
    .split("\n")
    .filter((line) => !(line.trimStart().startsWith("at ") && OWN_FRAMES.some((frame) => line.includes(frame))))
    .join("\n");
}
