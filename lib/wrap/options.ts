// The options of entrypoint() and step(), validated with zod once, at wrap time; `after` and
// the flow resolved to names.
import { z } from "zod";
import { PenstockError } from "../errors";
import { parseOrThrow } from "../internal/parse-or-throw";
import { stepInfo } from "../registry/registry";
import type { AnyFunction, Attributes, CrossFlowRef, StepKind } from "../types";

const primitive = z.union([z.string(), z.number(), z.boolean()]);
const attributeValue = z.union([primitive, z.array(primitive)], {
  message: "must be a string, number, boolean, or an array of them",
});
const attributesSchema = z.union(
  [
    z.custom<(...args: never[]) => Attributes>((value) => typeof value === "function"),
    z.record(z.string(), attributeValue),
  ],
  { message: "must be a record of strings, numbers, booleans (or arrays of them), or a function of the call's arguments returning one" },
);
const stepRef = z.union([z.string().min(1), z.custom<AnyFunction>((value) => typeof value === "function")], {
  message: "must be a step name or a wrapped function",
});
const optionsSchema = z.strictObject({
  flow: z.string({ message: "must be a non-empty string" }).min(1, { message: "must be a non-empty string" }).optional(),
  after: z.union([stepRef, z.array(stepRef)], { message: "must be a step name, a wrapped function, or an array of them" }).optional(),
  attributes: attributesSchema.optional(),
  expected: z.custom<(error: unknown) => boolean>((value) => typeof value === "function", { message: "must be a function (error) => boolean" }).optional(),
});

export type ParsedOptions = z.infer<typeof optionsSchema>;

export function parseOptions(where: string, options: unknown): ParsedOptions {
  return options === undefined ? {} : parseOrThrow(optionsSchema, options, `${where}: options`);
}

/** One reference of `after`: a name, or a wrapped function's name and flow. */
export interface AfterRef {
  readonly name: string;
  /** The flow of a wrapped function; undefined for a name given as a string. */
  readonly flow: string | undefined;
}

/** The references of `after`, in order (a wrapped function penstock did not make is INVALID_ARGUMENT). */
export function resolveAfter(where: string, after: ParsedOptions["after"]): AfterRef[] {
  const refs = after === undefined ? [] : Array.isArray(after) ? after : [after];
  return refs.map((ref, index): AfterRef => {
    if (typeof ref === "string") return { name: ref, flow: undefined };
    const info = stepInfo(ref);
    if (info === undefined) {
      const field = Array.isArray(after) ? `options.after[${index}]` : "options.after";
      throw new PenstockError(
        "INVALID_ARGUMENT",
        `${where}: ${field} is a function penstock did not wrap; pass the function returned by step() or entrypoint(), or the step's name.`,
      );
    }
    return { name: info.name, flow: info.flow };
  });
}

/** The flows of the wrapped functions among `refs`. */
export function flowsOf(refs: readonly AfterRef[]): Set<string> {
  const flows = new Set<string>();
  for (const ref of refs) if (ref.flow !== undefined) flows.add(ref.flow);
  return flows;
}

/**
 * `after` split into the names of the flow's own predecessors and, for an entrypoint, the
 * steps of other flows it follows (cross-flow edges), each listed once.
 */
export function splitAfter(refs: readonly AfterRef[], flow: string): { names: string[]; crossFlow: CrossFlowRef[] } {
  const names = new Set<string>();
  const crossFlow = new Map<string, CrossFlowRef>();
  for (const ref of refs) {
    if (ref.flow === undefined || ref.flow === flow) names.add(ref.name);
    else crossFlow.set(JSON.stringify([ref.flow, ref.name]), { flow: ref.flow, step: ref.name });
  }
  return { names: [...names], crossFlow: [...crossFlow.values()] };
}

export function resolveFlow(where: string, kind: StepKind, name: string, explicit: string | undefined, afterFlows: Set<string>): string {
  // An entrypoint starts its own flow unless told otherwise; a step joins its predecessors'.
  const chosen = explicit ?? (kind === "entrypoint" ? name : undefined);
  if (chosen !== undefined) {
    const other = [...afterFlows].find((flow) => flow !== chosen);
    // An entrypoint may follow another flow's step: the hop (a queue, a call) that starts its flow.
    if (other !== undefined && kind !== "entrypoint") {
      throw new PenstockError(
        "INVALID_ARGUMENT",
        `${where}: options.after names a step of flow "${other}", but this step is in flow "${chosen}". ` +
          `Steps can only follow steps of their own flow; an entrypoint can follow a step of another flow (a cross-flow edge).`,
      );
    }
    return chosen;
  }
  if (afterFlows.size > 1) {
    throw new PenstockError(
      "INVALID_ARGUMENT",
      `${where}: options.after mixes steps of flows ${[...afterFlows].map((f) => `"${f}"`).join(" and ")}; a step belongs to one flow. ` +
        `Set options.flow, or follow steps of one flow; an entrypoint can follow a step of another flow (a cross-flow edge).`,
    );
  }
  const [inferred] = afterFlows;
  if (inferred !== undefined) return inferred;
  throw new PenstockError(
    "INVALID_ARGUMENT",
    `${where}: cannot tell which flow step "${name}" belongs to. Pass options.flow, list a wrapped function in options.after, or use flow("name").step(...).`,
  );
}
