// The zod schema of a FlowCallTrace handed to flowReport(): traces gathered elsewhere (readLogs,
// your own store), checked at the door so that a bad one is named rather than drawn wrongly.
import { z } from "zod";

const outcome = z.enum(["ok", "error", "expected", "abandoned", "unfinished"]);
const milliseconds = z.number().nonnegative();

const traceStep = z.looseObject({
  step: z.string(),
  flow: z.string(),
  kind: z.enum(["entrypoint", "step"]),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  depth: z.number().int().nonnegative(),
  offsetMs: milliseconds,
  durationMs: milliseconds.optional(),
  outcome,
  error: z.string().optional(),
});

/** The schema of a {@link FlowCallTrace}. */
export const flowCallTraceSchema = z.looseObject({
  correlationId: z.string(),
  flow: z.string(),
  entrypoint: z.string(),
  startedAt: z.number(),
  durationMs: milliseconds.optional(),
  outcome,
  steps: z.array(traceStep),
});
