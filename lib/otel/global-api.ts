// OpenTelemetry as its API registers it: the versioned global
// `globalThis[Symbol.for("opentelemetry.js.api.1")]` = { version, trace, context, propagation }
// (@opentelemetry/api, src/internal/global-utils.ts). Read directly, it is seen whichever copy
// of the API registered it: a bundle without node_modules, or an SDK with a copy of its own
// (dd-trace). The adapter below implements the parts of the API that penstock uses over that
// registration; docs/architecture.md ("What penstock relies on") names this reliance.
import type { Context, Span, SpanContext, TextMapGetter, TextMapSetter, TraceState } from "@opentelemetry/api";
import type { OtelApiModule } from "./otel-api";

export const OTEL_GLOBAL_KEY = Symbol.for("opentelemetry.js.api.1");

/** What an API copy registers under the key (the members penstock reads). */
export interface OtelGlobal {
  readonly version?: unknown;
  /** The registering copy's ProxyTracerProvider, whose delegate is the SDK's provider. */
  readonly trace?: { getTracer(name: string, version?: string): unknown; getDelegate?(): unknown };
  readonly context?: { active(): Context; with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> };
  readonly propagation?: { inject(context: Context, carrier: unknown, setter: TextMapSetter): void; extract(context: Context, carrier: unknown, getter: TextMapGetter): Context };
}

/** The registration, or undefined when no API copy has registered anything. Never throws. */
export function otelGlobal(): OtelGlobal | undefined {
  try {
    const registered = (globalThis as Record<symbol, unknown>)[OTEL_GLOBAL_KEY];
    return registered !== null && typeof registered === "object" ? (registered as OtelGlobal) : undefined;
  } catch {
    return undefined;
  }
}

/** The registered version, when it is a string. */
export function otelGlobalVersion(registered: OtelGlobal | undefined): string | undefined {
  return typeof registered?.version === "string" ? registered.version : undefined;
}

/**
 * True when the registration holds a real tracer provider: the registering copy's proxy has
 * a delegate that is not the API's no-op provider.
 */
export function globalHasProvider(registered: OtelGlobal | undefined): boolean {
  try {
    const proxy = registered?.trace;
    if (proxy === undefined || proxy === null || typeof proxy !== "object") return false;
    const delegate = typeof proxy.getDelegate === "function" ? proxy.getDelegate() : proxy;
    return delegate !== null && typeof delegate === "object" && (delegate as object).constructor?.name !== "NoopTracerProvider";
  } catch {
    return false;
  }
}

// The API's own context key for the active span (createContextKey is Symbol.for(description)).
const SPAN_KEY = Symbol.for("OpenTelemetry Context Key SPAN");
const INVALID_TRACE_ID = "0".repeat(32);
const INVALID_SPAN_ID = "0".repeat(16);

function baseContext(entries: ReadonlyMap<symbol, unknown>): Context {
  return {
    getValue: (key) => entries.get(key),
    setValue: (key, value) => baseContext(new Map(entries).set(key, value)),
    deleteValue: (key) => {
      const next = new Map(entries);
      next.delete(key);
      return baseContext(next);
    },
  };
}

const ROOT_CONTEXT = baseContext(new Map());

function nonRecordingSpan(spanContext: SpanContext): Span {
  const span: Span = {
    spanContext: () => spanContext,
    setAttribute: () => span,
    setAttributes: () => span,
    addEvent: () => span,
    addLink: () => span,
    addLinks: () => span,
    setStatus: () => span,
    updateName: () => span,
    end: () => undefined,
    isRecording: () => false,
    recordException: () => undefined,
  };
  return span;
}

function traceState(members: readonly (readonly [string, string])[]): TraceState {
  return {
    get: (key) => members.find(([name]) => name === key)?.[1],
    set: (key, value) => traceState([[key, value], ...members.filter(([name]) => name !== key)]),
    unset: (key) => traceState(members.filter(([name]) => name !== key)),
    serialize: () => members.map(([key, value]) => `${key}=${value}`).join(","),
  };
}

function isSpanContextValid(spanContext: SpanContext): boolean {
  return /^[0-9a-f]{32}$/.test(spanContext.traceId) && spanContext.traceId !== INVALID_TRACE_ID && /^[0-9a-f]{16}$/.test(spanContext.spanId) && spanContext.spanId !== INVALID_SPAN_ID;
}

const defaultGetter: TextMapGetter = {
  keys: (carrier) => (carrier !== null && typeof carrier === "object" ? Object.keys(carrier) : []),
  get: (carrier, key) => (carrier as Record<string, string | undefined> | null)?.[key],
};
const defaultSetter: TextMapSetter = {
  set: (carrier, key, value) => {
    (carrier as Record<string, string>)[key] = value;
  },
};

/**
 * The parts of `@opentelemetry/api` penstock uses, over the global registration, read anew on
 * each use (an SDK may register after penstock first looks). Only those members exist.
 */
export function globalOtelApi(): OtelApiModule {
  const current = (): OtelGlobal | undefined => otelGlobal();
  const active = (): Context => current()?.context?.active() ?? ROOT_CONTEXT;
  const getSpan = (ctx: Context): Span | undefined => ctx.getValue(SPAN_KEY) as Span | undefined;
  const setSpan = (ctx: Context, span: Span): Context => ctx.setValue(SPAN_KEY, span);
  const trace = {
    getTracerProvider: () => current()?.trace,
    getTracer: (name: string, version?: string) => {
      const provider = current()?.trace;
      if (provider === undefined) throw new Error("no OpenTelemetry tracer provider is registered");
      return provider.getTracer(name, version);
    },
    getSpan,
    setSpan,
    getActiveSpan: () => getSpan(active()),
    deleteSpan: (ctx: Context) => ctx.deleteValue(SPAN_KEY),
    setSpanContext: (ctx: Context, spanContext: SpanContext) => setSpan(ctx, nonRecordingSpan(spanContext)),
    getSpanContext: (ctx: Context) => getSpan(ctx)?.spanContext(),
    wrapSpanContext: nonRecordingSpan,
    isSpanContextValid,
  };
  const context = {
    active,
    with: <A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> => {
      const manager = current()?.context;
      return manager === undefined ? fn.call(thisArg, ...args) : manager.with(ctx, fn, thisArg, ...args);
    },
  };
  const propagation = {
    inject: (ctx: Context, carrier: unknown, setter: TextMapSetter = defaultSetter) => current()?.propagation?.inject(ctx, carrier, setter),
    extract: (ctx: Context, carrier: unknown, getter: TextMapGetter = defaultGetter) => current()?.propagation?.extract(ctx, carrier, getter) ?? ctx,
  };
  const createTraceState = (serialized?: string): TraceState =>
    traceState(
      (serialized ?? "")
        .split(",")
        .map((member) => member.trim())
        .filter((member) => member.includes("="))
        .map((member) => [member.slice(0, member.indexOf("=")), member.slice(member.indexOf("=") + 1)] as const),
    );
  return {
    trace,
    context,
    propagation,
    isSpanContextValid,
    createTraceState,
    ROOT_CONTEXT,
    TraceFlags: { NONE: 0, SAMPLED: 1 },
    SpanStatusCode: { UNSET: 0, OK: 1, ERROR: 2 },
  } as unknown as OtelApiModule;
}
