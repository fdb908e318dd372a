// Expected errors: what a step's `expected` option or configure({ expected }) says is part of
// normal operation (a 400 from validation, a 404). Such an error is rethrown unchanged, but the
// backends record it as expected: a warning without a stack, an OpenTelemetry exception event
// with the span's status left UNSET.
import { reportFault } from "../config/faults";
import { config } from "../config/state";
import { globalSingleton } from "../internal/global";
import type { SpanInfo, StepInfo } from "../types";

/** Whether an error thrown by a step is expected. */
export type ExpectedErrorPredicate = (error: unknown) => boolean;

// Keyed by flow and step name, in the global slot: a backend made by one copy of penstock
// asks about a step wrapped by another.
const byStep: Map<string, ExpectedErrorPredicate> = globalSingleton("expectedErrors@1", () => new Map<string, ExpectedErrorPredicate>());

const keyOf = (flow: string, step: string): string => `${flow}\u0000${step}`;

/** Notes the `expected` option of a step at wrap time (a later wrap of the same step replaces it). */
export function registerExpected(info: StepInfo, predicate: ExpectedErrorPredicate | undefined): void {
  const key = keyOf(info.flow, info.name);
  if (predicate === undefined) byStep.delete(key);
  else byStep.set(key, predicate);
}

function asks(predicate: ExpectedErrorPredicate | undefined, error: unknown, info: SpanInfo | undefined): boolean {
  if (predicate === undefined) return false;
  try {
    return predicate(error) === true;
  } catch (fault) {
    // A predicate that throws: the error counts as unexpected, and the fault is reported.
    reportFault("expected", fault, info);
    return false;
  }
}

/**
 * True when the error thrown by the call `info` is expected: its step's `expected` option, or
 * `configure({ expected })`, returns true for it. For custom backends, to record such errors
 * apart from failures. Never throws.
 *
 * @example
 * if (isExpectedError(info, error)) span.addEvent("expected error"); else span.setStatus({ code: 2 });
 */
export function isExpectedError(info: SpanInfo, error: unknown): boolean {
  return expectedFor(info.flow, info.step, error, info);
}

/**
 * {@link isExpectedError} by flow and step name, for penstock's statistics, which count expected
 * errors apart from failures. Never throws.
 */
export function isExpectedErrorOf(flow: string, step: string, error: unknown): boolean {
  return expectedFor(flow, step, error, undefined);
}

// The last answer: a failed call is asked about by its backend and by the statistics, one after
// the other, and the user's predicate should run (and a throwing one be reported) once.
let last: { error: unknown; own: ExpectedErrorPredicate | undefined; global: ExpectedErrorPredicate | undefined; answer: boolean } | undefined;

function expectedFor(flow: string, step: string, error: unknown, info: SpanInfo | undefined): boolean {
  const own = byStep.get(keyOf(flow, step));
  const global = config.expected;
  if (own === undefined && global === undefined) return false;
  if (last !== undefined && last.error === error && last.own === own && last.global === global) return last.answer;
  const answer = asks(own, error, info) || asks(global, error, info);
  last = { error, own, global, answer };
  return answer;
}

/** An error's name and message, never its stack: what a record of an expected error shows. */
export function describeExpected(error: unknown): { name: string; message: string } {
  try {
    if (error instanceof Error) return { name: error.name, message: error.message };
    return { name: typeof error, message: String(error) };
  } catch {
    return { name: typeof error, message: "(the error could not be described)" };
  }
}
