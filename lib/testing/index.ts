// penstock/testing: helpers for the tests of code that uses penstock.
import { clearRegistry } from "../registry/registry";
import { resetConfiguration } from "../config/state";
import { clearObservations } from "../observations/call-edges";
import { clearUnknownStepWarnings } from "../registry/unknown-steps";

export { clearObservations };

export { assertConformance } from "./assert-conformance";
export type { AssertConformanceOptions } from "./assert-conformance";
export { recordingBackend } from "./recording";
export type { RecordedSpan, RecordingBackend } from "./recording";

/**
 * Clears the registry, the configuration (back to auto-detection, strict, no onError) and
 * what was observed for `diffDag` and `flowStats`. Call it in `beforeEach` when tests register flows
 * of their own.
 *
 * @example
 * beforeEach(() => resetPenstock());
 */
export function resetPenstock(): void {
  clearRegistry();
  resetConfiguration();
  clearObservations();
  clearUnknownStepWarnings();
}
