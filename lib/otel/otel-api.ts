// Loading the optional @opentelemetry/api peer, and telling a real SDK from the no-op API.
import type * as OtelApi from "@opentelemetry/api";
import { PenstockError } from "../errors";
import { requireOptional } from "../internal/require-optional";

export type OtelApiModule = typeof OtelApi;

let cached: OtelApiModule | null | undefined;

/** The OpenTelemetry API, or undefined when it is not installed. Loaded once, on first need. */
export function tryLoadOtelApi(): OtelApiModule | undefined {
  if (cached === undefined) {
    try {
      cached = requireOptional("@opentelemetry/api") as OtelApiModule;
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}

/** The OpenTelemetry API; throws OTEL_UNAVAILABLE saying what to install when it is missing. */
export function loadOtelApi(): OtelApiModule {
  const api = tryLoadOtelApi();
  if (api === undefined) {
    throw new PenstockError(
      "OTEL_UNAVAILABLE",
      'The OpenTelemetry backend needs "@opentelemetry/api" (^1.9), and an SDK to record spans: ' +
        "npm install @opentelemetry/api @opentelemetry/sdk-trace-node (or @opentelemetry/sdk-node). " +
        'Or use configure("logging").',
    );
  }
  return api;
}

/**
 * True when an SDK has registered a real tracer provider. The API alone hands out no-op
 * spans with all-zero trace IDs, which would make every correlation ID the same. Relies on
 * the API's `ProxyTracerProvider.getDelegate()` (docs/architecture.md, "What penstock relies
 * on"): an API of another shape, or one that throws, counts as no provider, never as an error.
 */
export function hasRealTracerProvider(api: OtelApiModule): boolean {
  try {
    const provider = api.trace.getTracerProvider() as { getDelegate?: () => object };
    const delegate = typeof provider.getDelegate === "function" ? provider.getDelegate() : provider;
    const noop = new api.ProxyTracerProvider().getDelegate();
    return delegate !== null && typeof delegate === "object" && delegate !== noop && delegate.constructor?.name !== "NoopTracerProvider";
  } catch {
    return false;
  }
}
