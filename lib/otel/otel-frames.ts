// penstock's frame kept in OpenTelemetry's Context, under a context key of its own, so that a
// traced call enters its span and its frame in one `context.with` (the one startActiveSpan
// makes) and penstock's own store stays unused (lib/context/frame-carrier.ts).
//
// The context that carries the frame is a Context of penstock's own (the API's Context is an
// interface: getValue, setValue, deleteValue): the context it was made from, plus the frame and
// the span set on it. Setting the span or the frame makes a new one of these, three fields and
// no Map copy; any other key is set on the context beneath, so every value set inside a call
// keeps the frame. (The API's own BaseContext copies its whole Map, and makes three closures,
// on every setValue: docs/performance.md measures both.)
import type { Context } from "@opentelemetry/api";
import type { Frame } from "../context/frame";
import type { FrameCarrier } from "../context/frame-carrier";
import type { OtelApiModule } from "./otel-api";
import { otelGlobal } from "./global-api";

/** The key of the frame (`createContextKey` is `Symbol.for` of its description: the same key in every copy). */
export const FRAME_KEY = Symbol.for("penstock.frame@1");
// The API's own key for the active span (createContextKey("OpenTelemetry Context Key SPAN")).
const SPAN_KEY = Symbol.for("OpenTelemetry Context Key SPAN");

class FrameContext implements Context {
  constructor(
    /** The context beneath: every key but the frame and, when `hasSpan`, the span. */
    readonly base: Context,
    readonly frame: Frame,
    readonly hasSpan: boolean,
    readonly span: unknown,
  ) {}

  getValue(key: symbol): unknown {
    if (key === SPAN_KEY) return this.hasSpan ? this.span : this.base.getValue(key);
    return key === FRAME_KEY ? this.frame : this.base.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    if (key === SPAN_KEY) return new FrameContext(this.base, this.frame, true, value);
    if (key === FRAME_KEY) return value === undefined ? this.deleteValue(key) : new FrameContext(this.base, value as Frame, this.hasSpan, this.span);
    return new FrameContext(this.base.setValue(key, value), this.frame, this.hasSpan, this.span);
  }

  deleteValue(key: symbol): Context {
    if (key === FRAME_KEY) return this.hasSpan ? this.base.setValue(SPAN_KEY, this.span) : this.base;
    if (key === SPAN_KEY) return new FrameContext(this.base.deleteValue(key), this.frame, false, undefined);
    return new FrameContext(this.base.deleteValue(key), this.frame, this.hasSpan, this.span);
  }
}

/** `context` with `frame` set on it. */
export function withFrame(context: Context, frame: Frame): Context {
  return context instanceof FrameContext ? new FrameContext(context.base, frame, context.hasSpan, context.span) : new FrameContext(context, frame, false, undefined);
}

/** The frame set on `context`, if any. */
export function frameOf(context: Context): Frame | undefined {
  return context instanceof FrameContext ? context.frame : (context.getValue(FRAME_KEY) as Frame | undefined);
}

/**
 * The flows opened (runInFlow) outside any flow in a trace of someone else's (an HTTP server
 * span), by trace ID: a context of that trace captured before the flow began still finds the
 * flow. OpenTelemetry's HTTP instrumentation runs each listener of a request in the context it
 * bound the request to, the server span's, made before penstock's middleware opened the flow
 * (with the frame in penstock's own store, penstock's binding of the request,
 * lib/http/bind-emitter.ts, carried it there). Weak: the entry lives as long as the flow's
 * contexts do; dead entries are dropped as new ones come.
 */
const openedIn = new Map<string, WeakRef<Frame>>();

function noteOpened(traceId: string, frame: Frame): void {
  if (openedIn.size >= 256) for (const [id, ref] of openedIn) if (ref.deref() === undefined) openedIn.delete(id);
  openedIn.set(traceId, new WeakRef(frame));
}

function traceIdOf(span: unknown): string | undefined {
  try {
    const id = (span as { spanContext?: () => { traceId?: unknown } } | undefined)?.spanContext?.().traceId;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The active Context, read from the registered context manager itself: the API's
 * `context.active()` looks the registration up and checks its version on every call, and a
 * traced call reads the active context twice. Through the API when no manager is registered.
 * penstock's copy of the API is the one that reads the registration (lib/otel/otel-api.ts), so
 * both name the same manager.
 */
export function activeContextOf(api: OtelApiModule): () => Context {
  const { context } = api;
  return () => {
    const manager = otelGlobal()?.context;
    return manager !== undefined ? manager.active() : context.active();
  };
}

/** The carrier of an OpenTelemetry backend: its frames live in the active Context of `api`. */
export function otelFrameCarrier(api: OtelApiModule): FrameCarrier {
  const { context } = api;
  const activeContext = activeContextOf(api);
  return {
    current() {
      const active = activeContext();
      const frame = frameOf(active);
      if (frame !== undefined || openedIn.size === 0) return frame;
      const traceId = traceIdOf(active.getValue(SPAN_KEY));
      return traceId === undefined ? undefined : openedIn.get(traceId)?.deref();
    },
    run(frame, fn, fallback) {
      const active = activeContext();
      const traceId = frameOf(active) === undefined ? traceIdOf(active.getValue(SPAN_KEY)) : undefined;
      if (traceId !== undefined && traceId === frame.correlationId) noteOpened(traceId, frame);
      const scoped = withFrame(active, frame);
      // Without a context manager, context.with calls fn with nothing entered: penstock's own store then.
      return context.with(scoped, () => (activeContext() === scoped ? fn() : fallback(frame, fn)));
    },
  };
}
