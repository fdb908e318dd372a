// `penstock logs`: read production logs, and print one flow call, the figures, the drift, or
// the flow calls worth a look.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { getRegistry } from "../registry/registry";
import { readLogs, type FlowCallTrace, type LogSummary } from "../logs";
import { driftText, findingCount } from "../logs/drift-text";
import { statsTable } from "../logs/stats-table";
import { terminalText } from "../logs/terminal-text";
import { traceLine, waterfall } from "../logs/waterfall";
import { drawFlows } from "./dag-command";
import { EXIT, type ExitCode } from "./errors";
import { selectFlows } from "./flows";
import type { CliIO } from "./io";
import type { LogsCommand } from "./logs-args";
import { loadFlows } from "./load";

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

/** The one line on stderr that says what was read and what was skipped. */
function readLine(command: LogsCommand, summary: LogSummary): string {
  const skipped = Object.entries(summary.skipped).map(([reason, count]) => `${count} ${reason}`);
  return (
    `penstock: read ${plural(summary.lines, "line")} from ${plural(command.files.length, "source")}: ${plural(summary.records, "penstock record")}, ` +
    `${plural(summary.flowCalls, "flow call")}${skipped.length === 0 ? "" : `; skipped ${skipped.join(", ")}`}.\n`
  );
}

function list(title: string, traces: readonly FlowCallTrace[], total: number): string {
  if (total === 0) return `${title}: none\n`;
  let out = `${title} (${total}${total > traces.length ? `, the first ${traces.length} listed` : ""}):\n`;
  for (const trace of traces) out += traceLine(trace);
  return out;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** The flows a question is about: `--flow`'s (checked), or every flow of `names`. */
function flowsOf(command: LogsCommand, summary: LogSummary, names: readonly string[]): readonly string[] {
  if (command.flow === undefined) return names;
  summary.registry.flow(command.flow);
  return [command.flow];
}

const byFlow = (traces: readonly FlowCallTrace[], flow: string | undefined): readonly FlowCallTrace[] =>
  flow === undefined ? traces : traces.filter((trace) => trace.flow === flow || trace.steps.some((step) => step.flow === flow));

async function answer(command: LogsCommand, summary: LogSummary, io: CliIO): Promise<{ text: string; code: ExitCode }> {
  const { format, flow } = command;
  switch (command.question) {
    case "id": {
      if (summary.trace === undefined) {
        const closest = summary.closestIds ?? [];
        io.err(`penstock: no flow call with correlation ID ${terminalText(command.id!, 80)} in the logs.${closest.length === 0 ? "" : ` Closest: ${closest.map((id) => terminalText(id, 80)).join(", ")}.`}\n`);
        return { text: "", code: EXIT.failed };
      }
      return { text: format === "json" ? json(summary.trace) : waterfall(summary.trace), code: EXIT.ok };
    }
    case "stats": {
      const flows = flowsOf(command, summary, summary.registry.flowNames());
      if (format === "table") return { text: flows.map((name) => statsTable(summary.stats.get(name)!)).join("\n"), code: EXIT.ok };
      // Drawn exactly as `penstock dag --stats` draws: generateDag with the figures of the logs.
      const colorBy = command.colorBy === undefined ? {} : { colorBy: command.colorBy };
      return { text: await drawFlows(flow, format, { registry: summary.registry, stats: true, direction: command.direction, ...colorBy }), code: EXIT.ok };
    }
    case "drift": {
      for (const name of summary.logOnlyFlows) io.err(`penstock: flow ${terminalText(name, 80)} is in the logs but not in --modules: not checked.\n`);
      const flows = flowsOf(command, summary, [...summary.drift.keys()]);
      const found = flows.reduce((sum, name) => sum + findingCount(summary.drift.get(name)!), 0);
      const text = format === "json" ? json(Object.fromEntries(flows.map((name) => [name, summary.drift.get(name)]))) : flows.map((name) => driftText(name, summary.drift.get(name)!)).join("");
      return { text, code: found > 0 ? EXIT.failed : EXIT.ok };
    }
    case "slowest": {
      const traces = byFlow(summary.slowest, flow).slice(0, command.slowest);
      return { text: format === "json" ? json(traces) : list(`slowest flow calls`, traces, traces.length), code: EXIT.ok };
    }
    case "failed": {
      const failed = byFlow(summary.failed, flow);
      const unfinished = byFlow(summary.unfinished, flow);
      if (format === "json") return { text: json({ failed, unfinished }), code: EXIT.ok };
      const failedTotal = flow === undefined ? summary.failedTotal : failed.length;
      const unfinishedTotal = flow === undefined ? summary.unfinishedTotal : unfinished.length;
      return { text: `${list("failed flow calls", failed, failedTotal)}\n${list("unfinished flow calls (no step.end)", unfinished, unfinishedTotal)}`, code: EXIT.ok };
    }
    case "summary": {
      const flows = flowsOf(command, summary, summary.registry.flowNames());
      if (format === "json") {
        const { registry: _drawing, stats, edges, drift, ...rest } = summary;
        const declared = flows.filter((name) => drift.has(name));
        return {
          text: json({ ...rest, stats: Object.fromEntries(flows.map((name) => [name, stats.get(name)])), edges: Object.fromEntries(edges), drift: Object.fromEntries(declared.map((name) => [name, drift.get(name)])) }),
          code: EXIT.ok,
        };
      }
      let text = flows.map((name) => statsTable(summary.stats.get(name)!)).join("\n");
      text += `\n${list("slowest flow calls", byFlow(summary.slowest, flow).slice(0, 5), Math.min(5, byFlow(summary.slowest, flow).length))}`;
      text += `\n${list("failed flow calls", byFlow(summary.failed, flow).slice(0, 5), flow === undefined ? summary.failedTotal : byFlow(summary.failed, flow).length)}`;
      text += `\n${list("unfinished flow calls (no step.end)", byFlow(summary.unfinished, flow).slice(0, 5), flow === undefined ? summary.unfinishedTotal : byFlow(summary.unfinished, flow).length)}`;
      text += `\nMore: --id <correlation-id> for one flow call's waterfall, --slowest N, --failed, --stats --format svg, --drift --modules <src>.\n`;
      return { text, code: EXIT.ok };
    }
  }
}

/** Runs `penstock logs`. */
export async function logsCommand(command: LogsCommand, io: CliIO): Promise<ExitCode> {
  let failedModules = false;
  if (command.modules !== undefined) {
    const loaded = await loadFlows(command.modules, io);
    failedModules = loaded.errors.length > 0;
    selectFlows(getRegistry(), undefined, command.modules.modules);
  }
  const summary = await readLogs(command.files, {
    windowMs: command.windowMs,
    slowest: command.question === "slowest" ? command.slowest : 10,
    ...(command.id === undefined ? {} : { findId: command.id }),
    registry: getRegistry(),
    cwd: io.cwd,
  });
  io.err(readLine(command, summary));
  const { text, code } = await answer(command, summary, io);
  if (command.out === undefined) io.out(text);
  else {
    const path = resolve(io.cwd, command.out);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, "utf8");
    io.err(`penstock: wrote ${command.out}.\n`);
  }
  return failedModules && code === EXIT.ok ? EXIT.usage : code;
}
