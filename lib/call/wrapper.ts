// The function a wrapper is: what one call of a wrapped function does, from the caller's frame
// to the backend's span. A call adds two frames to a stack trace (this one, named after the
// step, and the shield's `run`; with the logging backend, its `span`), so that Node's default
// limit of ten frames still reaches the caller's own functions.
import { getBackend } from "../config/configure";
import { config } from "../config/state";
import { PenstockError } from "../errors";
import { backendCorrelationId, namingRun } from "../context/correlation-id";
import { frames } from "../context/frame-store";
import { valuesHome, type Frame } from "../context/frame";
import { newCorrelationId, newFlatCorrelationId, newSpanId } from "../context/ids";
import { STEP_INFO_KEY } from "../internal/global";
import { observationsOf, type StepRecord } from "../observations/records";
import { callBegan, callEnded, callThrew } from "../observations/observe";
import { directSpanOf, isTrustedBackend, type DirectCall, type DirectSpan } from "../backends/trusted";
import { warnUnknownStepsOnce } from "../registry/unknown-steps";
import { callAttributes, staticAttributes } from "./attributes";
import { invokeIterating, isGeneratorFunction } from "./iteration";
import { handedBack, NOT_RUN, RETURNED, shieldedRun, spanReturned, spanThrew, type ShieldedCall } from "./shield";
import type { AnyFunction, Attributes, Backend, SpanInfo, StepInfo } from "../types";

type AttributesOption = Attributes | ((...args: unknown[]) => Attributes) | undefined;

function outsideFlow(info: StepInfo): PenstockError {
  return new PenstockError(
    "OUTSIDE_FLOW",
    `Step "${info.name}" of flow "${info.flow}" was called outside a flow. Call it from an entrypoint (or inside runInFlow()), ` +
      `or configure({ strict: false }) to run steps outside a flow untraced.`,
  );
}

/** A copy of the values of `frame`'s flow call, or undefined while it has none. */
function copyValues(frame: Frame): Map<string, unknown> | undefined {
  const values = valuesHome(frame).values;
  return values === undefined ? undefined : new Map(values);
}

/** What every call of one wrapper shares, fixed at wrap time. */
interface Site {
  readonly fn: AnyFunction;
  readonly info: StepInfo;
  readonly isEntrypoint: boolean;
  readonly fixedAttributes: Attributes | undefined;
  readonly computeAttributes: ((...args: unknown[]) => Attributes) | undefined;
  readonly observations: ReturnType<typeof observationsOf>;
  /** Generator functions get spans that cover their iteration (lib/call/iteration.ts). */
  readonly iterating: boolean;
  /** The backend last seen, and whether it guards its own faults (asked again when it changes). */
  seenBackend: Backend | undefined;
  trusted: boolean;
  /** The trusted backend's span that calls the function itself (lib/backends/trusted.ts), if it has one. */
  direct: DirectSpan | undefined;
  /** An entrypoint checks its flow for unknown `after` names on its first call. */
  flowChecked: boolean;
}

/**
 * One call in progress: the frame entered for it and how the backend is to be called. For a
 * backend that does not guard its own faults it is also the call's shield (lib/call/shield.ts):
 * one record per call, not two.
 */
interface OpenCall extends DirectCall, ShieldedCall {
  readonly backend: Backend;
  readonly info: SpanInfo;
  /** Whether this record shields the call (false: a backend that guards its own faults). */
  readonly shielded: boolean;
  /** What the backend calls: the shield's run, or the call itself, bound. */
  run: () => unknown;
  /** Instead of span(info, run): the trusted backend's span that calls the function itself. */
  readonly direct: DirectSpan | undefined;
  /** The step's record, undefined under configure({ observe: false }), and the call's frame (lib/observations/observe.ts). */
  readonly step: StepRecord | undefined;
  readonly frame: Frame;
  /** What the backend's span returned; NOT_RETURNED until it has (read near the stack limit). */
  returned: unknown;
  /** The frame current before this call, restored when it ends. */
  outer: Frame | undefined;
}

/** `OpenCall.returned` of a call whose span has not returned yet. */
const NOT_RETURNED: unique symbol = Symbol("penstock.not-returned");

/** `OpenCall.run` of a call made through a direct span, which never calls it. */
const NOT_BOUND = (): unknown => undefined;

/** The generator path shields its own call (lib/call/iteration.ts): to the wrapper, a trusted backend. */
const ITERATING: Backend = { name: "iterating", span: (_info, run) => run(), getCorrelationId: () => undefined };

// The frame store is shared by every copy of penstock in the process, and may be an older
// copy's, made before it had `enterOver`.
const entersOver = typeof frames.enterOver === "function";

/** Enters the call's frame over `parent`, which getStore() has just returned. */
function enterFrame(frame: Frame, parent: Frame | undefined): Frame | undefined {
  return entersOver ? frames.enterOver(frame, parent) : frames.enter(frame);
}

/** The wrapper of `fn` for the registered step `info`: faithful, named after the step. */
export function makeWrapper<F extends AnyFunction>(fn: F, info: StepInfo, attributes: AttributesOption): F {
  const site: Site = {
    fn,
    info,
    isEntrypoint: info.kind === "entrypoint",
    fixedAttributes: typeof attributes === "function" ? undefined : staticAttributes(attributes),
    computeAttributes: typeof attributes === "function" ? attributes : undefined,
    observations: observationsOf(info),
    iterating: isGeneratorFunction(fn),
    seenBackend: undefined,
    trusted: false,
    direct: undefined,
    flowChecked: info.kind !== "entrypoint",
  };

  // The work before and after the backend's span lives in other functions, called with few
  // arguments, so that this frame, one per wrapped layer of a stack, stays small.
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const call = openCall(site, this, args);
    if (call === undefined) return fn.apply(this, args);
    try {
      // The span's result is kept on the call: near the stack limit, where even entering
      // spanEnded can overflow, atTheLimit returns it (a trusted backend's is the function's).
      call.returned = call.direct === undefined ? call.backend.span(call.info, call.run) : call.direct(call);
      return spanEnded(call, call.returned, false);
    } catch (error) {
      // span() threw (spanEnded tells the function's own error from the backend's), or the
      // first spanEnded did: rethrowing the function's error, or overflowing near the stack
      // limit, where the second may overflow too (then atTheLimit, whose frame is smaller).
      try {
        return spanEnded(call, error, true);
      } catch (last) {
        return atTheLimit(call, last);
      }
    }
  };

  // A store with only run() (Cloudflare Workers) gives every call a scope of its own; elsewhere nothing changes.
  const callable = frames.inScope === undefined ? wrapped : frames.inScope(wrapped);
  Object.defineProperty(callable, "name", { value: info.name, configurable: true });
  Object.defineProperty(callable, "length", { value: fn.length, configurable: true });
  Object.defineProperty(callable, STEP_INFO_KEY, { value: info });
  return callable as unknown as F;
}

/**
 * After the backend's span: the function's own outcome (lib/call/shield.ts), observed while the
 * call's frame is still current (lib/observations/observe.ts), then the frame left.
 */
function spanEnded(call: OpenCall, value: unknown, threw: boolean): unknown {
  const step = call.step;
  try {
    let outcome: unknown;
    try {
      if (!call.shielded) {
        if (threw) throw value;
        outcome = value;
      } else {
        outcome = threw ? spanThrew(call, value) : handedBack(call, value) ? value : spanReturned(call, value);
      }
    } catch (error) {
      // The shield's own checks can overflow near the stack limit: the caller still gets the
      // function's outcome once it has one (read with no call, which could overflow again).
      if (!call.shielded || error === call.outcome || call.state !== RETURNED) {
        if (step !== undefined) observeThrew(step, call.frame, error);
        throw error;
      }
      outcome = call.outcome;
    }
    if (step !== undefined) {
      try {
        callEnded(step, call.frame, outcome);
      } catch {
        // No stack left to observe the end (near the limit): the caller still gets the outcome.
      }
    }
    return outcome;
  } finally {
    frames.exit(call.outer);
  }
}

/** The call threw: observed when there is stack enough for it, never in the way of the error. */
function observeThrew(step: StepRecord, frame: Frame, error: unknown): void {
  try {
    callThrew(step, frame, error);
  } catch {
    // Near the stack limit: the statistics miss this call.
  }
}

/**
 * Where even spanEnded could not run (no stack left for its frame): the frame is left if that
 * can be done, and the caller gets the function's own outcome once the function has run.
 */
function atTheLimit(call: OpenCall, error: unknown): unknown {
  try {
    frames.exit(call.outer);
  } catch {
    // No stack left to restore the outer frame.
  }
  if (!call.shielded) {
    if (call.returned === NOT_RETURNED) throw error;
    return call.returned;
  }
  if (call.state !== RETURNED || error === call.outcome) throw error;
  return call.outcome;
}

/**
 * Notes the caller, makes the call's frame and SpanInfo, and enters the frame; undefined for
 * a step called outside a flow under `strict: false` (it runs untraced).
 */
function openCall(site: Site, thisArg: unknown, args: unknown[]): OpenCall | undefined {
  const { info, fn } = site;
  const parent = frames.getStore();
  if (parent === undefined && !site.isEntrypoint) {
    if (config.strict) throw outsideFlow(info);
    return undefined;
  }
  if (!site.flowChecked) {
    site.flowChecked = true;
    warnUnknownStepsOnce(info.flow);
  }
  // The backend is read per call: configure() may swap it at any time.
  const backend = config.resolved ?? getBackend();
  if (backend !== site.seenBackend) {
    site.seenBackend = backend;
    site.trusted = isTrustedBackend(backend);
    site.direct = directSpanOf(backend);
  }
  // A root call continues the backend's trace when there is one (an HTTP server span);
  // otherwise a backend that names flows (OpenTelemetry) gives it its trace ID when it calls run.
  const adopted = parent === undefined ? backendCorrelationId(backend) : undefined;
  const frame: Frame = {
    // A fresh root ID: flat for a backend that writes it on every line; a slice (cheaper to
    // make) for one that names flows, whose trace ID replaces it.
    correlationId: parent !== undefined ? parent.correlationId : adopted ?? (backend.flowScope === undefined ? newFlatCorrelationId() : newCorrelationId()),
    flow: info.flow,
    step: info.name,
    spanId: newSpanId(),
    // Steps share their flow call's values (kept on its home frame); a nested entrypoint
    // forks them, copying any there are now.
    home: parent === undefined || site.isEntrypoint ? undefined : valuesHome(parent),
    values: parent === undefined || !site.isEntrypoint ? undefined : copyValues(parent),
    record: site.observations,
    flowCall: undefined,
    chain: 0,
    started: 0,
  };
  // Order, call edges and statistics (lib/observations/observe.ts).
  const step = config.observe !== false ? site.observations : undefined;
  if (step !== undefined) callBegan(step, parent, frame);
  const spanInfo: SpanInfo = {
    flow: info.flow,
    step: info.name,
    kind: info.kind,
    correlationId: frame.correlationId,
    attributes: site.computeAttributes === undefined ? site.fixedAttributes! : callAttributes(site.computeAttributes, args),
    spanId: frame.spanId!,
    parentSpanId: parent?.spanId,
  };
  const naming = parent === undefined && adopted === undefined && backend.flowScope !== undefined ? frame : undefined;
  // Every path makes the same record, fields in the same order (one hidden class for the call
  // path), the frame entered last.
  if (site.iterating) {
    const run = (): unknown => invokeIterating(backend, spanInfo, fn, thisArg, args, naming);
    return { backend: ITERATING, info: spanInfo, fn, thisArg, args, state: NOT_RUN, outcome: undefined, again: 0, run, shielded: false, direct: undefined, step, frame, returned: NOT_RETURNED, outer: enterFrame(frame, parent) };
  }
  // A backend that guards its own faults gets the call itself: a bound function adds no frame
  // of its own to a stack trace.
  if (site.trusted) {
    const run = site.direct === undefined ? fn.bind(thisArg, ...args) : NOT_BOUND;
    return { backend, info: spanInfo, fn, thisArg, args, state: NOT_RUN, outcome: undefined, again: 0, run, shielded: false, direct: site.direct, step, frame, returned: NOT_RETURNED, outer: enterFrame(frame, parent) };
  }
  const call: OpenCall = { backend, info: spanInfo, fn, thisArg, args, state: NOT_RUN, outcome: undefined, again: 0, run: NOT_BOUND, shielded: true, direct: undefined, step, frame, returned: NOT_RETURNED, outer: undefined };
  const run = shieldedRun(call);
  call.run = naming === undefined ? run : namingRun(run, backend, naming);
  // Entered last: a call that overflows the stack before the wrapper's try leaves no frame current.
  call.outer = enterFrame(frame, parent);
  return call;
}
