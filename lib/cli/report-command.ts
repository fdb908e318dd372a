// `penstock report`: one self-contained HTML page of every flow, its figures from the logs.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { getRegistry } from "../registry/registry";
import { flowDrawing, reportFlow } from "../report/drawing";
import { inlineSvg } from "../report/inline-svg";
import { layoutSvg } from "../report/layout-svg";
import { renderReport } from "../report/render-page";
import { EXIT, type ExitCode } from "./errors";
import { selectFlows } from "./flows";
import type { CliIO } from "./io";
import { loadFlows } from "./load";
import type { ReportCommand } from "./report-args";
import { readReportLogs } from "./report-logs";
import { loadGraphviz } from "./svg";

/** Runs `penstock report`. */
export async function reportCommand(command: ReportCommand, io: CliIO): Promise<ExitCode> {
  const loaded = await loadFlows(command, io);
  selectFlows(getRegistry(), undefined, command.modules);
  const logs = command.logs.length === 0 ? undefined : await readReportLogs(command.logs, { slowest: command.slowest, registry: getRegistry(), cwd: io.cwd });
  const registry = logs?.registry ?? getRegistry();
  const graphviz = await loadGraphviz();
  if (graphviz === undefined) {
    io.err("penstock: @hpcc-js/wasm-graphviz is not installed, so the drawings use penstock's own layout (npm install -D @hpcc-js/wasm-graphviz for Graphviz's).\n");
  }
  const flows = registry.flowNames().map((name, i) => {
    const flow = registry.flow(name);
    const stats = logs?.stats.get(name);
    const diff = logs?.drift.get(name);
    const figures = { ...(stats === undefined ? {} : { stats }), ...(diff === undefined ? {} : { diff }) };
    const drawing = flowDrawing(flow, figures);
    const svg = graphviz === undefined ? layoutSvg(drawing, `flow${i}`) : inlineSvg(graphviz.dot(drawing.dot, "svg"), `flow${i}`);
    return reportFlow(flow, figures, drawing, svg);
  });
  const html = renderReport({
    title: command.title ?? "penstock flow report",
    generatedAt: new Date().toISOString(),
    source: logs === undefined ? "none" : "logs",
    ...(logs === undefined ? {} : { origin: logs.origin }),
    flows,
    calls: logs?.calls ?? { slowest: [], failed: [], unfinished: [] },
  });
  // Files that did not parse: the others are drawn, and the command still fails.
  const failed = loaded.errors.length === 0 ? EXIT.ok : EXIT.usage;
  if (command.out === undefined) {
    io.out(html);
    return failed;
  }
  const path = resolve(io.cwd, command.out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, html, "utf8");
  io.err(`penstock: wrote ${command.out} (${flows.length} ${flows.length === 1 ? "flow" : "flows"}, ${Math.round(Buffer.byteLength(html) / 1024)} KiB).\n`);
  return failed;
}
