// flowOf(job): the flow a job ran in, for the worker's "completed" and "failed" handlers, which
// BullMQ calls after the processor, outside its flow.
import { extractFlow } from "../propagation/carrier";
import type { RunInFlowOptions } from "../context/run-in-flow";
import { globalSingleton } from "../internal/global";
import { FLOW_JOB_KEY } from "./job-data";

// The flow each job ran in under flowProcessor, by job object (the one BullMQ hands its events).
const ran: WeakMap<object, RunInFlowOptions> = globalSingleton("bullmqJobFlows@1", () => new WeakMap<object, RunInFlowOptions>());

/** Notes the flow `job` runs in (flowProcessor calls it inside the job's flow). */
export function noteJobFlow(job: unknown, options: RunInFlowOptions): void {
  if (job !== null && typeof job === "object") ran.set(job, options);
}

/** The carrier flowJobData wrote into the job, if any; a job whose data cannot be read has none. */
export function carrierOf(job: unknown): unknown {
  try {
    const data = (job as { data?: unknown } | null)?.data;
    return data !== null && typeof data === "object" ? (data as Record<string, unknown>)[FLOW_JOB_KEY] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `runInFlow` options of the flow `job` ran in: the same correlation ID the processor's
 * steps logged (and, with OpenTelemetry, the producer's trace). For a job flowProcessor has not
 * run, the flow its data carries (`{}` when none). For BullMQ's events, which run outside it.
 *
 * @example
 * import { flowOf, flowProcessor } from "penstock/bullmq";
 * const worker = new Worker("ship", flowProcessor(ship), { connection });
 * worker.on("failed", (job, error) => runInFlow(flowOf(job), () => logger.warn({ error }, "shipping failed")));
 */
export function flowOf(job: unknown): RunInFlowOptions {
  if (job !== null && typeof job === "object") {
    const options = ran.get(job);
    if (options !== undefined) return options;
  }
  return extractFlow(carrierOf(job));
}
