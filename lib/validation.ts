// zod at the door: turn a schema failure into a PenstockError that names the field.
import type { z } from "zod";
import { PenstockError, type PenstockErrorCode } from "./errors";

function pathOf(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");
}

/** Parses `value`, or throws a PenstockError naming the first bad field of `what`. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string, code: PenstockErrorCode = "INVALID_ARGUMENT"): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = `${what}${pathOf(issue.path)}`;
  if (issue.code === "unrecognized_keys") {
    const keys = (issue as { keys?: readonly string[] }).keys ?? [];
    throw new PenstockError(code, `${field} has unknown option ${keys.map((k) => `"${k}"`).join(", ")}: check the spelling against the documented options.`);
  }
  throw new PenstockError(code, `${field}: ${issue.message}.`);
}
