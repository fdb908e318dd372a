// Backend and metadata faults: reported to onError (or one warning per kind), never thrown.
import { PenstockError } from "../errors";
import { config } from "./state";
import type { SpanInfo } from "../types";

/** The kinds of fault penstock recovers from. Each becomes at most one process warning. */
export type FaultKind =
  | "span-threw"
  | "run-not-called"
  | "run-called-twice"
  | "error-swallowed"
  | "returned-other"
  | "span-rejected"
  | "correlation-id"
  | "attributes"
  | "trace-context"
  | "expected";

const DESCRIPTIONS: Record<FaultKind, string> = {
  "span-threw": "threw from span()",
  "run-not-called": "returned from span() without calling run()",
  "run-called-twice": "called run() more than once",
  "error-swallowed": "swallowed the error of the function it traced",
  "returned-other": "returned something other than what run() returned",
  "span-rejected": "returned a promise that rejected on its own",
  "correlation-id": "returned an unusable correlation ID from getCorrelationId()",
  "attributes": "could not compute attributes (the attributes callback threw or returned unusable values)",
  "trace-context": "could not set up the trace context of a flow",
  "expected": "could not tell whether an error was expected (the expected predicate threw)",
};

/** An error describing a fault that was not itself a thrown error. */
export function faultError(kind: FaultKind, backendName: string | undefined): PenstockError {
  return new PenstockError("INVALID_BACKEND", `The tracing backend "${backendName ?? "custom"}" ${DESCRIPTIONS[kind]}.`);
}

/**
 * Hands a fault to `configure({ onError })`, or warns once per kind of fault. Never throws:
 * observability must not change what the user's program does.
 */
export function reportFault(kind: FaultKind, error: unknown, info?: SpanInfo): void {
  const onError = config.onError;
  if (onError !== undefined) {
    try {
      onError(error, info);
    } catch {
      // An onError that throws has nowhere better to go; the user's call proceeds untouched.
    }
    return;
  }
  if (config.warned.has(kind)) return;
  config.warned.add(kind);
  let detail: string;
  try {
    detail = (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
  } catch {
    detail = "(the error could not be described)";
  }
  const where = info === undefined ? "" : ` while tracing ${info.flow}/${info.step}`;
  process.emitWarning(
    `penstock: a tracing fault${where}: ${DESCRIPTIONS[kind]}: ${detail}. ` +
      `Your function ran normally. Further faults of this kind are not reported; ` +
      `pass configure({ onError }) to receive every one.`,
    { code: "PENSTOCK_BACKEND_FAULT" },
  );
}
