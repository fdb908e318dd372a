// The attributes of a call: given once at wrap time, or computed from each call's arguments.
import { PenstockError } from "../errors";
import { reportFault } from "../config/faults";
import { sanitizeAttributes } from "./sanitize-attributes";
import type { Attributes } from "../types";

export const EMPTY_ATTRIBUTES: Attributes = Object.freeze({});

/**
 * Static attributes, copied and capped once at wrap time, as a callback's results are per call.
 * None (or none left) is the one shared empty object, which a backend can tell by identity.
 */
export function staticAttributes(attributes: Attributes | undefined): Attributes {
  const sanitized = attributes === undefined ? undefined : sanitizeAttributes(attributes)?.attributes;
  if (sanitized === undefined) return EMPTY_ATTRIBUTES;
  for (const _ in sanitized) return sanitized;
  return EMPTY_ATTRIBUTES;
}

/** What the attributes callback returns for these arguments, sanitized; never throws. */
export function callAttributes(compute: (...args: unknown[]) => Attributes, args: unknown[]): Attributes {
  let raw: unknown;
  try {
    raw = compute(...args);
  } catch (error) {
    // Metadata must never change the call: record the fault, trace without attributes.
    reportFault("attributes", error);
    return EMPTY_ATTRIBUTES;
  }
  // Unvalidated per-call data: copied and capped. Only this path pays for it.
  const sanitized = sanitizeAttributes(raw);
  if (sanitized === undefined || sanitized.dropped) {
    reportFault("attributes", new PenstockError("INVALID_ARGUMENT", "The attributes callback returned values that are not strings, numbers, booleans or arrays of them (or could not be read); they were dropped."));
  }
  return sanitized === undefined ? EMPTY_ATTRIBUTES : sanitized.attributes;
}
