// flowJobData: the producer side of a queue hop; the running flow written into a job's data.
import { injectFlow } from "../propagation/carrier";
import { describeValue } from "../internal/describe-value";
import { PenstockError } from "../errors";

/** The key of job data under which penstock keeps the flow's carrier. Reserved: do not use it for your own data. */
export const FLOW_JOB_KEY = "__penstock";

/** What {@link flowJobData} adds to job data: the carrier of `injectFlow` (correlation ID, `traceparent`). */
export interface FlowJobFields {
  readonly [FLOW_JOB_KEY]?: Readonly<Record<string, string>>;
}

/**
 * A copy of `data` with the running flow under `__penstock` (what `injectFlow` writes: the
 * correlation ID and W3C `traceparent`), for `queue.add(name, flowJobData(data))`. Outside a
 * flow the copy has no such key. `data` itself is not changed.
 *
 * @example
 * import { flowJobData } from "penstock/bullmq";
 * await queue.add("ship", flowJobData({ orderId }));
 */
export function flowJobData<D extends object>(data: D): D & FlowJobFields {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new PenstockError("INVALID_ARGUMENT", `flowJobData(data): data must be a plain object (the job's data), not ${describeValue(data)}.`);
  }
  const carrier = injectFlow<Record<string, string>>({});
  return Object.keys(carrier).length === 0 ? { ...data } : { ...data, [FLOW_JOB_KEY]: carrier };
}
