// The attributes a callback computes per call are user data of any shape: they are copied
// into plain, capped attributes before a backend sees them, without ever throwing.
import type { Attributes, AttributeValue } from "../types";

/** At most this many attributes are kept per call (in key order); the rest are dropped. */
export const MAX_ATTRIBUTE_KEYS = 64;
/** Strings (values and array items) are cut to this many UTF-16 code units. */
export const MAX_ATTRIBUTE_STRING = 4096;
/** Arrays keep their first this many items. */
export const MAX_ATTRIBUTE_ARRAY = 128;
/** Longer attribute names are dropped. */
export const MAX_ATTRIBUTE_KEY_LENGTH = 256;

type Primitive = string | number | boolean;

function primitive(value: unknown): Primitive | undefined {
  switch (typeof value) {
    case "string":
      return value.length > MAX_ATTRIBUTE_STRING ? value.slice(0, MAX_ATTRIBUTE_STRING) : value;
    case "number":
    case "boolean":
      return value;
    default:
      return undefined;
  }
}

function attributeValue(value: unknown): AttributeValue | undefined {
  if (!Array.isArray(value)) return primitive(value);
  const items: Primitive[] = [];
  const length = Math.min(value.length, MAX_ATTRIBUTE_ARRAY);
  for (let index = 0; index < length; index++) {
    const item = primitive(value[index]);
    if (item !== undefined) items.push(item);
  }
  return Object.freeze(items);
}

/**
 * A frozen copy of `raw` holding only valid attributes: string, number and boolean values
 * (and arrays of them), capped as above. Other values (objects, functions, symbols,
 * undefined, null) are dropped; getters are read once, and one that throws drops its key;
 * `toJSON` is never called; a key such as `__proto__` is kept as a plain own property, so
 * nothing can reach a prototype. Returns undefined when `raw` is not a usable record or
 * reading it threw (the caller reports that as a fault).
 */
export function sanitizeAttributes(raw: unknown): { attributes: Attributes; dropped: boolean } | undefined {
  let keys: string[];
  try {
    // A revoked Proxy throws even from Array.isArray.
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
    keys = Object.keys(raw);
  } catch {
    return undefined;
  }
  const attributes: Record<string, AttributeValue> = {};
  let dropped = false;
  let kept = 0;
  for (let index = 0; index < keys.length; index++) {
    if (kept === MAX_ATTRIBUTE_KEYS) {
      dropped = true;
      break;
    }
    const key = keys[index]!;
    if (key.length > MAX_ATTRIBUTE_KEY_LENGTH) {
      dropped = true;
      continue;
    }
    let value: AttributeValue | undefined;
    try {
      value = attributeValue((raw as Record<string, unknown>)[key]);
    } catch {
      value = undefined;
    }
    if (value === undefined) {
      dropped = true;
      continue;
    }
    // defineProperty, not assignment: "__proto__" stays an own data property.
    Object.defineProperty(attributes, key, { value, enumerable: true, writable: false, configurable: false });
    kept++;
  }
  return { attributes: Object.freeze(attributes), dropped };
}
