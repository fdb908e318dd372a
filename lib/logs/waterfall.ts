// One flow call in the terminal: the tree of its step calls, indented by depth, each with its
// kind, start offset, duration, outcome and a bar on the flow call's time line.
import { terminalText } from "./terminal-text";
import type { FlowCallTrace, TraceStep } from "./trace";

/** Characters of the time line. */
export const BAR_WIDTH = 40;
/** A step's name is cut to this many characters in the tree. */
const NAME_WIDTH = 48;

const ms = (value: number | undefined): string => (value === undefined ? "—" : `${value.toFixed(2)} ms`);

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function padStart(text: string, width: number): string {
  return text.length >= width ? text : " ".repeat(width - text.length) + text;
}

/** The bar of `step` on a time line `total` ms long: `█` where it ran, `░` where it ran unfinished to the end. */
function bar(step: TraceStep, total: number): string {
  const scale = total > 0 ? BAR_WIDTH / total : 0;
  const from = Math.min(BAR_WIDTH - 1, Math.floor(step.offsetMs * scale));
  const length = step.durationMs === undefined ? BAR_WIDTH - from : Math.max(1, Math.min(BAR_WIDTH - from, Math.round(step.durationMs * scale)));
  const fill = step.durationMs === undefined ? "░" : "█";
  return `|${" ".repeat(from)}${fill.repeat(length)}${" ".repeat(BAR_WIDTH - from - length)}|`;
}

/** How long the time line is: to the end of the step that ended last (or the last start, when unfinished). */
function span(trace: FlowCallTrace): number {
  let end = 0;
  for (const step of trace.steps) end = Math.max(end, step.offsetMs + (step.durationMs ?? 0));
  return end;
}

/**
 * The waterfall of `trace` as text, every name and message escaped and cut short.
 *
 * @example
 * process.stdout.write(waterfall(summary.trace));
 */
export function waterfall(trace: FlowCallTrace): string {
  const total = span(trace);
  const names = trace.steps.map((step) => terminalText("  ".repeat(step.depth) + step.step, NAME_WIDTH));
  const width = Math.max(4, ...names.map((name) => name.length));
  let out = `flow call ${terminalText(trace.correlationId)}: ${terminalText(trace.flow)} / ${terminalText(trace.entrypoint)}, ${new Date(trace.startedAt).toISOString()}, ${ms(trace.durationMs)}, ${trace.outcome}\n\n`;
  out += `${pad("step", width)}  ${pad("kind", 10)}  ${padStart("start", 11)}  ${padStart("duration", 11)}  ${pad("outcome", 10)}  time line (${total.toFixed(2)} ms)\n`;
  trace.steps.forEach((step, i) => {
    out += `${pad(names[i]!, width)}  ${pad(step.kind, 10)}  ${padStart(`+${step.offsetMs.toFixed(2)} ms`, 11)}  ${padStart(ms(step.durationMs), 11)}  ${pad(step.outcome, 10)}  ${bar(step, total)}\n`;
    if (step.error !== undefined) out += `${" ".repeat(width)}  ${step.outcome === "expected" ? "expected" : "error"}: ${terminalText(step.error)}\n`;
  });
  return out;
}

/**
 * One line for a flow call in a list (`--slowest`, `--failed`): its ID first, to pass to --id.
 *
 * @example
 * "4bf92f3577b34da6a3ce929d0e0e4736  2026-12-01T18:00:00.000Z   23.40 ms  ok          orders / place_order"
 */
export function traceLine(trace: FlowCallTrace): string {
  // The deepest failed step is where the error began; its callers only passed it on.
  const failure = trace.steps.reduce<TraceStep | undefined>((deepest, step) => (step.outcome === "error" && (deepest === undefined || step.depth > deepest.depth) ? step : deepest), undefined);
  const why = failure === undefined ? "" : `  ${terminalText(failure.step, 60)}: ${terminalText(failure.error ?? "(no message)", 120)}`;
  return `${terminalText(trace.correlationId, 64)}  ${new Date(trace.startedAt).toISOString()}  ${padStart(ms(trace.durationMs), 11)}  ${pad(trace.outcome, 10)}  ${terminalText(trace.flow, 60)} / ${terminalText(trace.entrypoint, 60)}${why}\n`;
}
