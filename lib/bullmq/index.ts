// penstock/bullmq: a flow across a BullMQ queue, from the code that adds a job to the worker
// that runs it. Importing it never loads bullmq: jobs are typed structurally.
export { flowJobData, FLOW_JOB_KEY } from "./job-data";
export type { FlowJobFields } from "./job-data";
export { flowProcessor } from "./processor";
export { flowOf } from "./flow-of";
export type { JobLike } from "./processor";
