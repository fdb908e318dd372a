// describeValue(): name the type of a bad input in an error message without echoing it.

/** A short, safe description of a bad value for an error message (never the value itself if long). */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return value.length === 0 ? "an empty string" : "a string";
    case "function":
      return "a function";
    case "object":
      return "an object";
    default:
      return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
  }
}
