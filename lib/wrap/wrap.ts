// entrypoint(), step() and flow(): validate at wrap time, register, return a faithful wrapper.
import { z } from "zod";
import { shared } from "../internal/global";
import { getBackend } from "../config/configure";
import { backendCorrelationId } from "../context/flow-context";
import { describeValue } from "../internal/describe-value";
import { observationsOf, observeCaller } from "../observations/call-edges";
import { PenstockError } from "../errors";
import { reportFault } from "../config/faults";
import { newCorrelationId, newSpanId } from "../context/ids";
import { invokeTraced } from "../call/shield";
import { invokeIterating, isGeneratorFunction } from "../call/iteration";
import { register, STEP_INFO, stepInfo } from "../registry/registry";
import { sanitizeAttributes } from "./sanitize-attributes";
import { storage } from "../context/current-frame";
import { parseOrThrow } from "../internal/parse-or-throw";
import { valuesHome, type Frame } from "../context/frame";
import type { AnyFunction, Attributes, EntrypointOptions, SpanInfo, StepInfo, StepKind, StepOptions } from "../types";

const config = shared.config;
const EMPTY_ATTRIBUTES: Attributes = Object.freeze({});

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
});

type ParsedOptions = z.infer<typeof optionsSchema>;

function parseOptions(where: string, options: unknown): ParsedOptions {
  return options === undefined ? {} : parseOrThrow(optionsSchema, options, `${where}: options`);
}

/** Names of the predecessors, and the flows of those given as wrapped functions. */
function resolveAfter(where: string, after: ParsedOptions["after"]): { names: string[]; flows: Set<string> } {
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

function resolveFlow(where: string, kind: StepKind, name: string, explicit: string | undefined, afterFlows: Set<string>): string {
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

function outsideFlow(info: StepInfo): PenstockError {
  return new PenstockError(
    "OUTSIDE_FLOW",
    `Step "${info.name}" of flow "${info.flow}" was called outside a flow. Call it from an entrypoint (or inside runInFlow()), ` +
      `or configure({ strict: false }) to run steps outside a flow untraced.`,
  );
}

function callAttributes(compute: (...args: unknown[]) => Attributes, args: unknown[]): Attributes {
  let raw: unknown;
  try {
    raw = compute(...args);
  } catch (error) {
    // Metadata must never change the call: record the fault, trace without attributes.
    reportFault("attributes", error);
    return EMPTY_ATTRIBUTES;
  }
  // Unvalidated per-call data: copied and capped (lib/sanitize-attributes.ts). Only this
  // path pays for it; static attributes are validated once, at wrap time.
  const sanitized = sanitizeAttributes(raw);
  if (sanitized === undefined || sanitized.dropped) {
    reportFault("attributes", new PenstockError("INVALID_ARGUMENT", "The attributes callback returned values that are not strings, numbers, booleans or arrays of them (or could not be read); they were dropped."));
  }
  return sanitized === undefined ? EMPTY_ATTRIBUTES : sanitized.attributes;
}

/** A copy of the values of `frame`'s flow call, or undefined while it has none. */
function copyValues(frame: Frame): Map<string, unknown> | undefined {
  const values = valuesHome(frame).values;
  return values === undefined ? undefined : new Map(values);
}

function wrap<F extends AnyFunction>(kind: StepKind, name: unknown, fn: unknown, options: unknown): F {
  const where = `${kind}(${typeof name === "string" ? JSON.stringify(name) : "name"}, fn, options)`;
  if (typeof name !== "string" || name.length === 0) {
    throw new PenstockError("INVALID_ARGUMENT", `${where}: name must be a non-empty string naming the ${kind}, not ${describeValue(name)}.`);
  }
  if (typeof fn !== "function") {
    throw new PenstockError("INVALID_ARGUMENT", `${where}: fn must be the function to wrap, not ${describeValue(fn)}.`);
  }
  const parsed = parseOptions(where, options);
  const after = resolveAfter(where, parsed.after);
  const info: StepInfo = Object.freeze({
    name,
    flow: resolveFlow(where, kind, name, parsed.flow, after.flows),
    kind,
    after: Object.freeze(after.names),
  });
  register(info);
  return makeWrapper(fn as F, info, parsed.attributes as Attributes | ((...args: unknown[]) => Attributes) | undefined);
}

function makeWrapper<F extends AnyFunction>(fn: F, info: StepInfo, attributes: Attributes | ((...args: unknown[]) => Attributes) | undefined): F {
  const isEntrypoint = info.kind === "entrypoint";
  // Capped once at wrap time, as the callback's results are per call (lib/sanitize-attributes.ts).
  const staticAttributes = typeof attributes === "function" ? undefined : sanitizeAttributes(attributes ?? EMPTY_ATTRIBUTES)?.attributes ?? EMPTY_ATTRIBUTES;
  const computeAttributes = typeof attributes === "function" ? attributes : undefined;
  const observations = observationsOf(info);
  // Generator functions get spans that cover their iteration (lib/iteration.ts), decided once
  // here: other calls pay nothing for it.
  const invoke = isGeneratorFunction(fn) ? invokeIterating : invokeTraced;

  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const parent = storage.getStore();
    if (parent === undefined && !isEntrypoint) {
      if (config.strict) throw outsideFlow(info);
      return fn.apply(this, args);
    }
    // Drift (lib/drift.ts): a call from the step's last caller costs this one comparison.
    if (parent !== undefined && parent.step !== observations.last) observeCaller(observations, parent);
    // The backend is read per call: configure() may swap it at any time.
    const backend = config.resolved ?? getBackend();
    // A root call continues the backend's trace when there is one (an HTTP server span);
    // otherwise its new ID is provisional until the backend's first span names the trace.
    const adopted = parent === undefined ? backendCorrelationId(backend) : undefined;
    const frame: Frame = {
      correlationId: parent !== undefined ? parent.correlationId : adopted ?? newCorrelationId(),
      provisional: parent === undefined && adopted === undefined,
      flow: info.flow,
      step: info.name,
      spanId: newSpanId(),
      // Steps share their flow call's values (kept on its home frame); a nested entrypoint
      // forks them, copying any there are now.
      home: parent === undefined || isEntrypoint ? undefined : valuesHome(parent),
      values: parent === undefined || !isEntrypoint ? undefined : copyValues(parent),
    };
    const spanInfo: SpanInfo = {
      flow: info.flow,
      step: info.name,
      kind: info.kind,
      correlationId: frame.correlationId,
      attributes: computeAttributes === undefined ? staticAttributes! : callAttributes(computeAttributes, args),
      spanId: frame.spanId!,
      parentSpanId: parent?.spanId,
    };
    return storage.runInvoke(frame, invoke, backend, spanInfo, fn, this, args);
  };

  Object.defineProperty(wrapped, "name", { value: info.name, configurable: true });
  Object.defineProperty(wrapped, "length", { value: fn.length, configurable: true });
  Object.defineProperty(wrapped, STEP_INFO, { value: info });
  return wrapped as unknown as F;
}

/**
 * Wraps the function where a flow begins (an HTTP handler, a queue consumer). Each call
 * outside a flow starts one, with a new correlation ID; inside a flow it keeps the ID.
 *
 * @example
 * export const placeOrder = entrypoint("place_order", async (order: Order) => { ... });
 */
export function entrypoint<F extends AnyFunction>(name: string, fn: F, options?: EntrypointOptions<F>): F {
  return wrap<F>("entrypoint", name, fn, options);
}

/**
 * Wraps a function that runs inside a flow. `after` names its predecessors in the DAG.
 *
 * @example
 * export const chargeCard = step("charge_card", async (order: Order) => { ... }, { after: validateOrder });
 */
export function step<F extends AnyFunction>(name: string, fn: F, options?: StepOptions<F>): F {
  return wrap<F>("step", name, fn, options);
}

/** A flow's name bound once, for its entrypoints and steps. */
export interface FlowBuilder {
  readonly name: string;
  entrypoint<F extends AnyFunction>(name: string, fn: F, options?: Omit<EntrypointOptions<F>, "flow">): F;
  step<F extends AnyFunction>(name: string, fn: F, options?: Omit<StepOptions<F>, "flow">): F;
}

/**
 * Binds a flow name, so its steps need no `flow` option.
 *
 * @example
 * const orders = flow("orders");
 * export const receive = orders.entrypoint("receive", handler);
 * export const validate = orders.step("validate", check, { after: receive });
 */
export function flow(name: string): FlowBuilder {
  if (typeof name !== "string" || name.length === 0) {
    throw new PenstockError("INVALID_ARGUMENT", `flow(name): name must be a non-empty string, not ${describeValue(name)}.`);
  }
  const withFlow = (kind: string, options: unknown): unknown => {
    if (options === undefined) return { flow: name };
    // Anything but an object is left for the option parser to reject with its usual message.
    if (options === null || typeof options !== "object") return options;
    if ("flow" in options) {
      throw new PenstockError("INVALID_ARGUMENT", `flow("${name}").${kind}(): options.flow is not allowed here; the flow is "${name}".`);
    }
    return { ...options, flow: name };
  };
  return Object.freeze({
    name,
    entrypoint: <F extends AnyFunction>(stepName: string, fn: F, options?: Omit<EntrypointOptions<F>, "flow">): F =>
      wrap<F>("entrypoint", stepName, fn, withFlow("entrypoint", options)),
    step: <F extends AnyFunction>(stepName: string, fn: F, options?: Omit<StepOptions<F>, "flow">): F =>
      wrap<F>("step", stepName, fn, withFlow("step", options)),
  });
}
