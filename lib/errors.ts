// PenstockError: the one error type penstock throws, with a stable machine-readable code.
import { ERROR_BRAND_KEY } from "./internal/global";

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
 * `error instanceof PenstockError` holds whichever copy of penstock threw it: the ESM or the
 * CommonJS build, any entry (`penstock/http`, ...), the bin, another installed version. Each
 * instance carries a brand (a non-enumerable `Symbol.for("penstock.error")`) and the check
 * reads the brand, not the prototype chain. A subclass of PenstockError keeps the ordinary
 * prototype check for itself.
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
    Object.defineProperty(this, ERROR_BRAND_KEY, { value: true });
  }

  /** `value instanceof PenstockError`: true for a PenstockError of any copy of penstock. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // `this` is the right-hand side: PenstockError itself (of this copy), or a subclass of it.
    if (this === PenstockError) return isPenstockError(value);
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** True for a PenstockError from this or any other copy of penstock (ESM and CJS builds, every entry). */
export function isPenstockError(value: unknown): value is PenstockError {
  return typeof value === "object" && value !== null && (value as { [ERROR_BRAND_KEY]?: unknown })[ERROR_BRAND_KEY] === true;
}
