// Step statistics: calls, errors and a duration histogram per step, for flowStats. Calls and
// errors are counted exactly. Durations: reading the clock twice costs more than a fast step
// itself (~35 ns a read on Node 20), so a step whose last timed call took under 4 µs is timed
// one call in 8 (under 0.5 µs, one in 64), each timed call counting for the calls it stands for.
import { createHistogram, recordDuration } from "./histogram";
import type { StepRecord } from "./records";

/** Not timed: the call is counted but its duration is not read. */
export const UNTIMED = -1;

/** A timed call of `step` that began at `started` (ms) ended: its duration, and the next stride. */
export function timedCallEnded(step: StepRecord, started: number): void {
  const ns = (performance.now() - started) * 1e6;
  recordDuration((step.histogram ??= createHistogram()), ns, step.stride);
  step.stride = ns >= 4000 ? 1 : ns >= 500 ? 8 : 64;
  if (step.countdown > step.stride) step.countdown = step.stride;
}
