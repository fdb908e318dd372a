// SVG: the DOT drawing laid out by Graphviz compiled to WebAssembly (an optional package).
import { CliError } from "./errors";

const PACKAGE = "@hpcc-js/wasm-graphviz";

function isMissing(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && typeof message === "string" && message.includes(PACKAGE);
}

/** Graphviz, loaded: `dot(text, "svg")` lays a DOT drawing out, synchronously. */
export type GraphvizRenderer = Awaited<ReturnType<(typeof import("@hpcc-js/wasm-graphviz"))["Graphviz"]["load"]>>;

/** Graphviz compiled to WebAssembly, or undefined when the optional package is not installed. */
export async function loadGraphviz(): Promise<GraphvizRenderer | undefined> {
  let module: typeof import("@hpcc-js/wasm-graphviz");
  try {
    module = await import("@hpcc-js/wasm-graphviz");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  return module.Graphviz.load();
}

/**
 * `dot` rendered as an SVG document by Graphviz (`dot` layout). The package is loaded only
 * here, on demand, so penstock itself never needs it.
 */
export async function renderSvg(dot: string): Promise<string> {
  const graphviz = await loadGraphviz();
  if (graphviz === undefined) {
    throw new CliError(
      `--format svg renders with Graphviz compiled to WebAssembly, from the optional package ${PACKAGE}, which is not installed. ` +
        `Install it with \`npm install -D ${PACKAGE}\`, or use --format dot and your own Graphviz.`,
    );
  }
  return graphviz.dot(dot, "svg");
}
