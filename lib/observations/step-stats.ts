// Step statistics: calls, errors and a duration histogram per step, for flowStats. Calls and
// errors are counted exactly. Durations: timing a call (two clock reads and a histogram count,
// docs/dag.md) costs more than a fast step itself, so the share of time a call accounts for
// decides how many calls are timed: the lesser of its duration and the mean time between the
// starts of the step's calls. Many calls in flight at once (an async step under load) each take
// long but start close together, and each accounts for only that spacing of the program's time.
// A step's first 64 calls are all timed (a rare step's figures are exact); from then on, from
// 16 µs every call is timed, under 16 µs one in 8, under 2 µs one in 64, under 0.25 µs one in
// 512 (the clock's share of the program's time stays under about 1 %); each timed call counts
// for the calls it stands for.
import { createHistogram, recordDuration } from "./histogram";
import type { StepRecord } from "./records";

/** Calls of a step that are all timed, before the share of time each accounts for decides. */
const TIMED_FIRST = 64;

/** Not timed: the call is counted but its duration is not read. */
export const UNTIMED = -1;

/** A call of `step` to be timed begins: its start (ms), and the spacing of the calls since the last timed one. */
export function timedCallBegan(step: StepRecord): number {
  const now = performance.now();
  step.spacing = (now - step.timedAt) / step.period;
  step.timedAt = now;
  step.countdown = step.period = step.stride;
  return now;
}

/** A timed call of `step` that began at `started` (ms) ended: its duration, and the next stride. */
export function timedCallEnded(step: StepRecord, started: number): void {
  const ns = (performance.now() - started) * 1e6;
  recordDuration((step.histogram ??= createHistogram()), ns, step.stride);
  const spacing = step.spacing * 1e6;
  const share = ns < spacing ? ns : spacing;
  step.stride = step.calls < TIMED_FIRST || share >= 16_000 ? 1 : share >= 2_000 ? 8 : share >= 250 ? 64 : 512;
  if (step.countdown > step.stride) {
    step.period -= step.countdown - step.stride;
    step.countdown = step.stride;
  }
}
