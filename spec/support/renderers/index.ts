// Runs diagrams through the real Mermaid parser and real Graphviz (see check.mjs), in a batch.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export type DiagramKind = "mermaid" | "dot";

export interface Diagram {
  readonly kind: DiagramKind;
  readonly text: string;
}

export interface MermaidReadout {
  readonly nodes: readonly { readonly id: string; readonly label: string }[];
  readonly edges: readonly { readonly from: string; readonly to: string; readonly type: string; readonly stroke: string; readonly label: string }[];
  readonly subgraphs: readonly { readonly id: string; readonly title: string; readonly nodes: readonly string[] }[];
}

export interface DotReadout {
  readonly nodes: readonly { readonly title: string; readonly label: string }[];
  readonly edges: number;
  /** Per edge, as drawn: its label, stroke colour and dash pattern ("" for a solid line). */
  readonly edgeMarks: readonly { readonly label: string; readonly stroke: string; readonly dash: string }[];
  readonly clusters: readonly { readonly title: string; readonly label: string }[];
}

export interface CheckResult {
  readonly ok: boolean;
  readonly error?: string;
  /** Time the parse (Mermaid) or the layout and SVG rendering (Graphviz) took, first call included. */
  readonly ms: number;
  readonly svgLength?: number;
  readonly graph?: MermaidReadout | DotReadout;
}

const SCRIPT = join(__dirname, "check.mjs");

/**
 * Checks every diagram in one child process (the parsers are ESM-only and take about a second
 * to load, so one spawn per spec file, not per diagram).
 */
export function checkDiagrams(diagrams: readonly Diagram[]): CheckResult[] {
  const run = spawnSync(process.execPath, [SCRIPT], {
    input: JSON.stringify(diagrams),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`check.mjs failed (status ${run.status}): ${run.error?.message ?? run.stderr}`);
  const results = JSON.parse(run.stdout) as CheckResult[];
  if (results.length !== diagrams.length) throw new Error(`check.mjs answered ${results.length} of ${diagrams.length} diagrams`);
  return results;
}
