// PenstockError: the one error type penstock throws, with a stable machine-readable code.

/** Every code a {@link PenstockError} can carry. Codes are stable; messages may improve. */
export type PenstockErrorCode =
  | "INVALID_ARGUMENT"
  | "INVALID_BACKEND"
  | "UNKNOWN_BACKEND"
  | "OTEL_UNAVAILABLE"
  | "OUTSIDE_FLOW"
  | "REGISTRY_CONFLICT"
  | "UNKNOWN_FLOW"
  | "INVALID_FLOW";

/**
 * Thrown for misuse of penstock (bad arguments, unknown backend, a step outside a flow).
 * Errors from your own functions are never wrapped: they reach you unchanged.
 *
 * @example
 * try { configure("zipkin" as never) } catch (e) {
 *   if (e instanceof PenstockError && e.code === "UNKNOWN_BACKEND") { ... }
 * }
 */
export class PenstockError extends Error {
  readonly code: PenstockErrorCode;

  constructor(code: PenstockErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PenstockError";
    this.code = code;
  }
}

/** True for a PenstockError from this or any other copy of penstock (ESM and CJS builds). */
export function isPenstockError(value: unknown): value is PenstockError {
  return value instanceof Error && value.name === "PenstockError" && typeof (value as { code?: unknown }).code === "string";
}
