// flowProcessor: the worker side of a queue hop; the job's processor runs in the producer's flow.
import { extractFlow } from "../propagation/carrier";
import { runInFlow } from "../context/run-in-flow";
import { describeValue } from "../internal/describe-value";
import { PenstockError } from "../errors";
import { currentFlowId } from "../context/flow-context";
import { carrierOf, noteJobFlow } from "./flow-of";
import { withInboundParentOf } from "../propagation/inbound-context";

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
    const inbound = extractFlow(carrierOf(job));
    return runInFlow(inbound, () => {
      // For the worker's "completed" / "failed" handlers (flowOf), which run outside the flow.
      noteJobFlow(job, withInboundParentOf({ ...inbound, correlationId: currentFlowId() }, inbound));
      return processor.call(this, job, ...rest);
    });
  } as P;
}


