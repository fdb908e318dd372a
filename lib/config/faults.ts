// Backend and metadata faults: reported to onError (or one warning per kind), never thrown.
import { emitWarning } from "../internal/emit-warning";
import { PenstockError } from "../errors";
import { config } from "./state";
import { callOnError, dropIfReentrant } from "./fault-reentry";
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
  | "flush"
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
  "flush": "could not flush its log destination",
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
  // Near the stack limit reporting can overflow too: a report that fails is dropped, never thrown.
  try {
    if (dropIfReentrant()) return;
    deliver(kind, error, info);
  } catch {
    // Nowhere better to go; the user's call proceeds untouched.
  }
}

function deliver(kind: FaultKind, error: unknown, info: SpanInfo | undefined): void {
  const onError = config.onError;
  if (onError !== undefined) {
    try {
      callOnError(onError, error, info);
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
  emitWarning(
    `penstock: a tracing fault${where}: ${DESCRIPTIONS[kind]}: ${detail}. ` +
      `Your function ran normally. Further faults of this kind are not reported; ` +
      `pass configure({ onError }) to receive every one.`,
    { code: "PENSTOCK_BACKEND_FAULT" },
  );
}
