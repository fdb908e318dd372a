// The one table of misbehaving backends: every way a backend's span() can break its contract.
// The shield's specs (spec/call/) and the fault matrix (spec/reliability/) run through it.
import type { Backend, SpanInfo } from "../../lib";

type Span = Backend["span"];

export interface Misbehaviour {
  readonly label: string;
  readonly span: Span;
  /** Whether a call whose function succeeds is itself a fault (false: only failures are). */
  readonly faultOnSuccess: boolean;
  /** Whether the backend breaks a sync function's result even when it runs it (async around the call). */
  readonly async: boolean;
}

const misbehaviour = (label: string, span: Span, faultOnSuccess = true, async = false): Misbehaviour => ({ label, span, faultOnSuccess, async });

export const MISBEHAVING_SPANS: readonly Misbehaviour[] = [
  misbehaviour("throws before run", () => {
    throw new Error("backend down");
  }),
  misbehaviour("throws after run", (_info, run) => {
    run();
    throw new Error("backend broke after");
  }),
  misbehaviour("never calls run", () => undefined as never),
  misbehaviour("calls run twice", (_info, run) => {
    run();
    return run();
  }),
  misbehaviour("returns something else", (_info, run) => {
    run();
    return "something else" as never;
  }),
  misbehaviour("is async around the call (runs it in a microtask)", ((_info: SpanInfo, run: () => unknown) => Promise.resolve().then(run)) as Span, true, true),
  misbehaviour("rejects after running the call", ((_info: SpanInfo, run: () => unknown) => {
    run();
    return Promise.reject(new Error("backend rejected"));
  }) as Span, true, true),
  misbehaviour("rejects without running the call", (() => Promise.reject(new Error("backend rejected early"))) as Span, true, true),
  misbehaviour("swallows the call's error", (_info, run) => {
    try {
      return run();
    } catch {
      return "swallowed" as never;
    }
  }, false),
  misbehaviour("throws a non-Error (a string)", () => {
    throw "backend string";
  }),
];

/** A backend record around one misbehaving span. */
export function backendWith(span: Span, getCorrelationId: Backend["getCorrelationId"] = () => undefined): Backend {
  return { name: "faulty", span, getCorrelationId };
}
