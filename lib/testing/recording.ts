// recordingBackend(): a backend that keeps every finished span in memory, for assertions.
import { isAbandonedIteration } from "../call/iteration";
import { isExpectedError } from "../call/expected";
import { settle, type SpanOutcome } from "../backends/settle";
import type { Backend, SpanInfo } from "../types";

/** One finished call, as the recording backend saw it. */
export interface RecordedSpan {
  readonly info: SpanInfo;
  readonly flow: string;
  readonly step: string;
  readonly kind: SpanInfo["kind"];
  readonly correlationId: string;
  readonly attributes: SpanInfo["attributes"];
  readonly spanId: string;
  /** The spanId of the calling step, if any. */
  readonly parentSpanId: string | undefined;
  /**
   * `"abandoned"`: a generator's iterator was dropped unfinished and garbage collected.
   * `"expected"`: the error is one the step's `expected` option or `configure({ expected })` accepts.
   */
  readonly outcome: "ok" | "error" | "expected" | "abandoned";
  /** The thrown or rejected value, for outcome "error" and "expected" (for "abandoned", the abandonment error). */
  readonly error: unknown;
  readonly durationMs: number;
}

/** A backend that records, plus what it recorded. */
export interface RecordingBackend extends Backend {
  /** Finished spans, in the order they ended. */
  readonly spans: readonly RecordedSpan[];
  /** Names of the steps that have started, in the order they started. */
  readonly started: readonly string[];
  /** Forgets everything recorded. */
  clear(): void;
}

/**
 * A backend for tests: records every finished span (info, outcome, error, duration, parent).
 *
 * @example
 * const recorder = recordingBackend();
 * configure(recorder);
 * await placeOrder(order);
 * expect(recorder.spans.map((s) => s.step)).toEqual(["validate", "charge", "place_order"]);
 */
export function recordingBackend(): RecordingBackend {
  const spans: RecordedSpan[] = [];
  const started: string[] = [];

  function finish(info: SpanInfo, start: number, outcome: SpanOutcome): void {
    spans.push(
      Object.freeze({
        info,
        flow: info.flow,
        step: info.step,
        kind: info.kind,
        correlationId: info.correlationId,
        attributes: info.attributes,
        spanId: info.spanId,
        parentSpanId: info.parentSpanId,
        outcome: outcome.ok ? "ok" : isAbandonedIteration(outcome.error) ? "abandoned" : isExpectedError(info, outcome.error) ? "expected" : "error",
        error: outcome.ok ? undefined : outcome.error,
        durationMs: performance.now() - start,
      }),
    );
  }

  return {
    name: "recording",
    spans,
    started,
    span(info, run) {
      started.push(info.step);
      const start = performance.now();
      let result;
      try {
        result = run();
      } catch (error) {
        finish(info, start, { ok: false, error });
        throw error;
      }
      return settle(result, (outcome) => finish(info, start, outcome));
    },
    // No ID of its own: the flow's is penstock's.
    getCorrelationId: () => undefined,
    clear() {
      spans.length = 0;
      started.length = 0;
    },
  };
}
