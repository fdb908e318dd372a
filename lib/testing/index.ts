// penstock/testing: helpers for the tests of code that uses penstock.
import { clearRegistry } from "../registry";
import { resetConfiguration } from "../config";

export { recordingBackend } from "./recording";
export type { RecordedSpan, RecordingBackend } from "./recording";

/**
 * Clears the registry and the configuration (back to auto-detection, strict, no onError).
 * Call it in `beforeEach` when tests register flows of their own.
 *
 * @example
 * beforeEach(() => resetPenstock());
 */
export function resetPenstock(): void {
  clearRegistry();
  resetConfiguration();
}
