// The options of entrypoint() and step(), validated with zod once, at wrap time; `after` and
// the flow resolved to names.
import { z } from "zod";
import { PenstockError } from "../errors";
import { parseOrThrow } from "../internal/parse-or-throw";
import { stepInfo } from "../registry/registry";
import type { AnyFunction, Attributes, StepKind } from "../types";

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

/** Names of the predecessors, and the flows of those given as wrapped functions. */
export function resolveAfter(where: string, after: ParsedOptions["after"]): { names: string[]; flows: Set<string> } {
  const refs = after === undefined ? [] : Array.isArray(after) ? after : [after];
  const names: string[] = [];
  const flows = new Set<string>();
  refs.forEach((ref, index) => {
    if (typeof ref === "string") {
      names.push(ref);
      return;
    }
    const info = stepInfo(ref);
    if (info === undefined) {
      const field = Array.isArray(after) ? `options.after[${index}]` : "options.after";
      throw new PenstockError(
        "INVALID_ARGUMENT",
        `${where}: ${field} is a function penstock did not wrap; pass the function returned by step() or entrypoint(), or the step's name.`,
      );
    }
    names.push(info.name);
    flows.add(info.flow);
  });
  return { names: [...new Set(names)], flows };
}

export function resolveFlow(where: string, kind: StepKind, name: string, explicit: string | undefined, afterFlows: Set<string>): string {
  // An entrypoint starts its own flow unless told otherwise; a step joins its predecessors'.
  const chosen = explicit ?? (kind === "entrypoint" ? name : undefined);
  if (chosen !== undefined) {
    const other = [...afterFlows].find((flow) => flow !== chosen);
    if (other !== undefined) {
      const hint = explicit === undefined ? " (an entrypoint's flow defaults to its own name; pass options.flow to join another)" : "";
      throw new PenstockError(
        "INVALID_ARGUMENT",
        `${where}: options.after names a step of flow "${other}", but this ${kind} is in flow "${chosen}"${hint}. Steps can only follow steps of their own flow.`,
      );
    }
    return chosen;
  }
  if (afterFlows.size > 1) {
    throw new PenstockError(
      "INVALID_ARGUMENT",
      `${where}: options.after mixes steps of flows ${[...afterFlows].map((f) => `"${f}"`).join(" and ")}; a step belongs to one flow. Set options.flow, or follow steps of one flow.`,
    );
  }
  const [inferred] = afterFlows;
  if (inferred !== undefined) return inferred;
  throw new PenstockError(
    "INVALID_ARGUMENT",
    `${where}: cannot tell which flow step "${name}" belongs to. Pass options.flow, list a wrapped function in options.after, or use flow("name").step(...).`,
  );
}
