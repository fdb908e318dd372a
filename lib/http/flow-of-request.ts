// One request's flow: which inbound IDs to continue, through the public extractFlow/runInFlow,
// so every rule penstock applies to inbound IDs (validation, configuration) applies here too.
import { extractFlow } from "../propagation/carrier";
import type { RunInFlowOptions } from "../context/run-in-flow";
import type { ResolvedHttpOptions } from "./options";

// Shared and frozen: an untrusting edge allocates nothing per request for its options.
const FRESH_FLOW: RunInFlowOptions = Object.freeze({});

/** The `runInFlow` options for a request with these headers (a Node headers record or a fetch `Headers`). */
export function inboundFlow(headers: unknown, options: ResolvedHttpOptions): RunInFlowOptions {
  return options.trustInbound ? extractFlow(headers, options.carrierOptions) : FRESH_FLOW;
}
