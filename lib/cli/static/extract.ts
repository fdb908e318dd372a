// Static extraction: the registrations of a code base read from its sources, none of them run.
import type { StepInfo } from "../../types";
import { CliError } from "../errors";
import type { SourceFile } from "../inputs";
import { Evaluator } from "./evaluate";
import { ModuleGraph, type ModuleRecord } from "./modules";
import { loadTypeScript } from "./typescript";

/** What the sources register, and what could not be read. */
export interface Extraction {
  /** In the order import mode would register them: modules after what they import, calls in source order. */
  readonly steps: readonly StepInfo[];
  /** Registrations left out because they cannot be known without running the code, `file:line:column: ...`. */
  readonly notes: readonly string[];
  /** What would fail in import mode (a syntax error, a bad option), `file:line:column: ...`. */
  readonly errors: readonly string[];
  /** How many modules were read. */
  readonly modules: number;
}

// Dependencies before the module, as Node evaluates an import graph (each module once).
function evaluationOrder(roots: readonly ModuleRecord[]): ModuleRecord[] {
  const order: ModuleRecord[] = [];
  const seen = new Set<ModuleRecord>();
  const visit = (root: ModuleRecord): void => {
    // An explicit stack: a chain of 10,000 imports must not overflow the call stack.
    const stack: [ModuleRecord, number][] = [[root, 0]];
    seen.add(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [module, next] = top;
      const dependency = module.dependencies[next];
      if (dependency === undefined) {
        stack.pop();
        order.push(module);
        continue;
      }
      top[1] = next + 1;
      if (dependency.kind === "module" && !seen.has(dependency.module)) {
        seen.add(dependency.module);
        stack.push([dependency.module, 0]);
      }
    }
  };
  for (const root of roots) if (!seen.has(root)) visit(root);
  return order;
}

function readFailure(file: SourceFile, error: unknown): CliError {
  const code = (error as { code?: unknown }).code;
  if (code === "EACCES" || code === "EPERM") return new CliError(`cannot read ${file.given}: permission denied (${String(code)}). Make it readable, or leave it out.`, { cause: error });
  return new CliError(`cannot read ${file.given}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** Reads `files` and every module they import by a relative path, and finds their registrations. */
export function extractFlows(files: readonly SourceFile[], cwd: string): Extraction {
  const ts = loadTypeScript(cwd);
  const graph = new ModuleGraph(ts, cwd);
  const roots = files.map((file) => {
    try {
      return graph.load(file.path);
    } catch (error) {
      throw readFailure(file, error);
    }
  });
  const evaluator = new Evaluator(ts);
  const steps: StepInfo[] = [];
  const notes: string[] = [];
  const errors: string[] = [];
  for (const module of evaluationOrder(roots)) {
    if (module.parseError !== undefined) {
      errors.push(`${module.parseError} (the file does not parse; its flows are left out)`);
      continue;
    }
    for (const call of module.calls) {
      try {
        if (!evaluator.isRegistration(call, module)) {
          const doubt = evaluator.doubtful(call, module);
          if (doubt !== undefined) notes.push(doubt);
          continue;
        }
        evaluator.evaluate(call, module);
      } catch (error) {
        // Code too deep or too odd to follow (a chain past the stack's depth) is one note, never a crash.
        notes.push(`${evaluator.site(call, module)}: this call cannot be read statically (${error instanceof Error ? error.message : String(error)}); it is left out.`);
        continue;
      }
      const found = evaluator.registrations.get(call);
      if (found === undefined) continue;
      if (found.ok) steps.push(found.info);
      else (found.error ? errors : notes).push(found.message);
    }
  }
  return { steps, notes, errors, modules: graph.modules.size };
}
