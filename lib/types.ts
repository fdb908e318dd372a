// The public types shared by the wrappers, backends, registry and DAG.

/** A primitive attribute value, or an array of them (what OpenTelemetry and pino both accept). */
export type AttributeValue = string | number | boolean | readonly (string | number | boolean)[];

/** Extra fields recorded with every call of a step: pino fields, or OpenTelemetry span attributes. */
export type Attributes = Readonly<Record<string, AttributeValue>>;

/** Whether a wrapper starts a flow (`entrypoint`) or continues one (`step`). */
export type StepKind = "entrypoint" | "step";

/** Any function penstock can wrap. `this` is kept as the caller passes it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (this: any, ...args: any[]) => any;

/** A predecessor of a step: its name, or the wrapped function itself. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StepRef = string | ((...args: any[]) => any);

/** Attributes given once, or computed from each call's arguments. */
export type AttributesOption<F extends AnyFunction> = Attributes | ((...args: Parameters<F>) => Attributes);

/** Options of {@link step}. */
export interface StepOptions<F extends AnyFunction = AnyFunction> {
  /** The flow this step belongs to. Default: the flow of the wrapped functions in `after`. */
  readonly flow?: string;
  /** Predecessors in the drawn DAG (edges `after -> this`). They do not order execution. */
  readonly after?: StepRef | readonly StepRef[];
  /** Extra fields for every call: a record, or a function of the call's arguments. */
  readonly attributes?: AttributesOption<F>;
  /** Which errors are part of normal operation: rethrown unchanged, recorded as expected (see `configure({ expected })`). */
  readonly expected?: (error: unknown) => boolean;
}

/** Options of {@link entrypoint}. */
export interface EntrypointOptions<F extends AnyFunction = AnyFunction> {
  /** The flow this entrypoint starts. Default: the entrypoint's own name. */
  readonly flow?: string;
  /**
   * Predecessors in the drawn DAG, for an entrypoint that is also reached from a step. A
   * wrapped step of another flow makes a cross-flow edge (the queue hop that starts this flow).
   */
  readonly after?: StepRef | readonly StepRef[];
  /** Extra fields for every call: a record, or a function of the call's arguments. */
  readonly attributes?: AttributesOption<F>;
  /** Which errors are part of normal operation: rethrown unchanged, recorded as expected (see `configure({ expected })`). */
  readonly expected?: (error: unknown) => boolean;
}

/** What a backend is told about each call it traces. */
export interface SpanInfo {
  readonly flow: string;
  readonly step: string;
  readonly kind: StepKind;
  /** penstock's correlation ID of the flow call (with OpenTelemetry: see docs/backends.md). */
  readonly correlationId: string;
  readonly attributes: Attributes;
  /** penstock's ID of this call (16 hex), unique within the flow call. */
  readonly spanId: string;
  /** The `spanId` of the step that called this one, when there is one. */
  readonly parentSpanId: string | undefined;
}

/**
 * A tracing backend: a plain record. penstock calls `span` once per wrapped call.
 *
 * @example
 * const consoleBackend: Backend = {
 *   name: "console",
 *   span: (info, run) => { console.log("enter", info.step); return settle(run(), () => console.log("leave", info.step)); },
 *   getCorrelationId: () => undefined,
 * };
 */
export interface Backend {
  readonly name?: string;
  /** Calls `run` exactly once, synchronously, and returns what it returns (see `settle`). */
  span<T>(info: SpanInfo, run: () => T): T;
  /** The backend's own correlation ID for the current context, or undefined to use penstock's. */
  getCorrelationId(): string | undefined;
  /** Writes out anything buffered. */
  flush?(): Promise<void>;
  /**
   * The backend's own ID of the current span (16 hex; OpenTelemetry's active span ID), or
   * undefined. Optional: `combineBackends` gives it to the other backends as the call's `spanId`.
   */
  getSpanId?(): string | undefined;
  /**
   * For a backend with a trace context of its own (OpenTelemetry's), so that a flow has one
   * ID: the trace ID. Optional; a custom backend needs none. With it, penstock also takes
   * the ID `getCorrelationId()` returns when `run` is called for an entrypoint that starts a
   * flow (the trace ID of the span just started) as that flow's correlation ID.
   */
  readonly flowScope?: FlowScope;
}

/** A trace a flow continues: a valid inbound `traceparent`, with its `tracestate` when valid. */
export interface RemoteParent {
  readonly traceId: string;
  readonly spanId: string;
  /** The trace-flags byte; bit 0 is "sampled". */
  readonly flags: number;
  readonly tracestate: string | undefined;
  /**
   * What the backend's `FlowScope.extract` read, as it is (OpenTelemetry: the carrier, so the
   * propagators' whole context, tracestate and baggage included, is continued). Opaque to
   * penstock; handed back to `FlowScope.enter`. Absent for a parent parsed by penstock itself.
   */
  readonly extracted?: unknown;
}

/** Reads a string map (OpenTelemetry's TextMapGetter shape). */
export interface CarrierGetter {
  keys(carrier: unknown): string[];
  get(carrier: unknown, key: string): string | undefined;
}

/** Writes a string map (OpenTelemetry's TextMapSetter shape). */
export interface CarrierSetter {
  set(carrier: unknown, key: string, value: string): void;
}

/**
 * How a backend's own trace context carries penstock's flows (see {@link Backend.flowScope}):
 * used by `runInFlow`, `injectFlow` and `extractFlow`. Each method may throw; penstock
 * reports the fault and carries on without the backend's context.
 */
export interface FlowScope {
  /** The form of an inbound correlation ID the backend can carry (a trace ID), or undefined if it cannot. */
  acceptId(id: string): string | undefined;
  /** Runs `run` so that the spans started inside carry `id` (continuing `remote` when given). */
  enter<T>(id: string, remote: RemoteParent | undefined, run: () => T): T;
  /** Writes the active trace context into the carrier; false when there is none. */
  inject(carrier: unknown, setter: CarrierSetter): boolean;
  /** The trace context in the carrier, through the backend's propagators; undefined if none. */
  extract(carrier: unknown, getter: CarrierGetter): RemoteParent | undefined;
}

/** The registration of one wrapped function. */
export interface StepInfo {
  readonly name: string;
  readonly flow: string;
  readonly kind: StepKind;
  /** Names of the predecessors in the same flow, in declaration order. */
  readonly after: readonly string[];
  /**
   * Where it was registered, `file:line:column` (the call of `entrypoint()` or `step()`), the
   * file relative to the working directory when it is under it. Absent when the stack did not
   * say.
   */
  readonly source?: string;
  /**
   * An entrypoint's predecessors in other flows (a queue hop, a call between services), in
   * declaration order: the cross-flow edges of the system map. Absent when there are none.
   */
  readonly crossFlow?: readonly CrossFlowRef[];
}

/** A step of another flow that an entrypoint follows. */
export interface CrossFlowRef {
  readonly flow: string;
  readonly step: string;
}

/** One flow of the registry. */
export interface FlowInfo {
  readonly name: string;
  /** Names of the flow's entrypoints, in registration order. */
  readonly entrypoints: readonly string[];
  /** Every step and entrypoint of the flow, by name (a frozen record without prototype). */
  readonly steps: Readonly<Record<string, StepInfo>>;
}

/** A deeply frozen snapshot of everything registered. Later registrations never change it. */
export interface Registry {
  /** Every flow, by name (a frozen record without prototype). */
  readonly flows: Readonly<Record<string, FlowInfo>>;
  /** The named flow; throws `PenstockError` `UNKNOWN_FLOW` when there is none. */
  flow(name: string): FlowInfo;
  /** Flow names, sorted. */
  flowNames(): readonly string[];
}

/** A typed key for flow values: `setFlowValue(userKey, 42)` is a type error when `userKey` is a `FlowKey<string>`. */
export interface FlowKey<T> {
  readonly name: string;
  /** Type-level only: never set at run time. */
  readonly __type?: (value: T) => T;
}

/** A frozen view of the flow context at the time of the call. */
export interface FlowContext {
  readonly correlationId: string;
  readonly flow: string | undefined;
  readonly step: string | undefined;
  /** A copy of the flow values: changing it changes nothing. */
  readonly values: ReadonlyMap<string, unknown>;
}

/** One problem `validateFlow` found. */
export interface FlowProblem {
  readonly code: "NO_ENTRYPOINT" | "UNKNOWN_STEP" | "CYCLE" | "UNREACHABLE";
  readonly flow: string;
  /** The step concerned, when there is one. */
  readonly step?: string;
  /** For `CYCLE`: every step caught in the cycle, sorted (the message shows one concrete path). */
  readonly cycle?: readonly string[];
  readonly message: string;
}
