// zod at the door: turn a schema failure into a PenstockError that names the field.
import type { z } from "zod";
import { describeValue } from "./describe-value";
import { PenstockError, type PenstockErrorCode } from "../errors";

function pathOf(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");
}

/**
 * Parses `value`, or throws a PenstockError naming the first bad field of `what`
 * (for example `configure(options).strict: must be true or false.`).
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string, code: PenstockErrorCode = "INVALID_ARGUMENT"): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  if (issue.path.length === 0 && shape !== undefined && (value === null || typeof value !== "object" || Array.isArray(value))) {
    throw new PenstockError(code, `${what} must be an object, not ${describeValue(value)}.`);
  }
  const field = `${what}${pathOf(issue.path)}`;
  if (issue.code === "unrecognized_keys") {
    const known = shape === undefined ? "" : `; the options are ${Object.keys(shape).join(", ")}`;
    throw new PenstockError(code, `${field} has unknown option ${issue.keys.map((k) => `"${k}"`).join(", ")}${known}.`);
  }
  throw new PenstockError(code, `${field}: ${issue.message}.`);
}
