// flowProcessor: the worker side of a queue hop; the job's processor runs in the producer's flow.
import { extractFlow } from "../propagation/carrier";
import { runInFlow } from "../context/run-in-flow";
import { describeValue } from "../internal/describe-value";
import { PenstockError } from "../errors";
import { FLOW_JOB_KEY } from "./job-data";

/** The part of a BullMQ `Job` penstock reads. */
export interface JobLike {
  readonly data?: unknown;
}

/**
 * Wraps a BullMQ processor so each job runs in the flow that {@link flowJobData} wrote into it:
 * its steps log and trace under the producer's correlation ID (with OpenTelemetry: in the
 * producer's trace, as children of the span that queued the job). A job without a valid carrier
 * gets a fresh flow. The job is not changed: `job.data.__penstock` stays visible to the processor.
 *
 * @example
 * import { Worker } from "bullmq";
 * import { flowProcessor } from "penstock/bullmq";
 * new Worker("ship", flowProcessor(async (job) => shipOrder(job.data.orderId)), { connection });
 */
// `job: any`: a processor typed for BullMQ's Job<T> must fit, and parameters are contravariant.
export function flowProcessor<P extends (job: any, ...rest: any[]) => unknown>(processor: P): P {
  if (typeof processor !== "function") {
    throw new PenstockError("INVALID_ARGUMENT", `flowProcessor(processor): processor must be a function (job) => Promise, not ${describeValue(processor)}.`);
  }
  return function penstockFlowProcessor(this: unknown, job: JobLike, ...rest: unknown[]) {
    return runInFlow(extractFlow(carrierOf(job)), () => processor.call(this, job, ...rest));
  } as P;
}

function carrierOf(job: JobLike): unknown {
  try {
    const data = job?.data;
    return data !== null && typeof data === "object" ? (data as Record<string, unknown>)[FLOW_JOB_KEY] : undefined;
  } catch {
    // A job whose data cannot be read starts a fresh flow; the processor sees the same error itself.
    return undefined;
  }
}
