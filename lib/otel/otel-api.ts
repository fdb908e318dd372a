// Loading the optional @opentelemetry/api peer, and telling a real SDK from the no-op API.
import type * as OtelApi from "@opentelemetry/api";
import { PenstockError } from "../errors";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { requireOptional, resolveOptional } from "../internal/require-optional";
import { globalHasProvider, globalOtelApi, otelGlobal, otelGlobalVersion, type OtelGlobal } from "./global-api";
import { warnOtelOnce } from "./otel-warnings";

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

// The adapters over the global registration (lib/otel/global-api.ts), told apart from the real API.
const adapters = new WeakSet<object>();

/** The version of penstock's own copy of the API, from its package.json, for messages. */
function ownApiVersion(): string | undefined {
  try {
    let dir = dirname(resolveOptional("@opentelemetry/api"));
    for (let depth = 0; depth < 6; depth++, dir = dirname(dir)) {
      try {
        const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
        if (manifest.name === "@opentelemetry/api" && typeof manifest.version === "string") return manifest.version;
      } catch {
        // No package.json at this level: look one up.
      }
    }
  } catch {
    // Unreadable: the message says "another version".
  }
  return undefined;
}

/** Whether penstock's own copy reads the registration (the API gives its global proxy only to compatible copies). */
function ownSeesGlobal(api: OtelApiModule, registered: OtelGlobal): boolean {
  try {
    return api.trace.getTracerProvider() === registered.trace;
  } catch {
    return false;
  }
}

function adapter(): OtelApiModule {
  const api = globalOtelApi();
  adapters.add(api);
  return api;
}

/**
 * The OpenTelemetry API penstock uses: its own copy when that copy reads the global
 * registration (or nothing is registered); otherwise the registration itself, read through
 * the API's versioned global (a bundle without node_modules, an SDK with its own copy of the
 * API). Undefined when there is neither. A provider registered under a version penstock's
 * copy cannot use is said once, naming both versions.
 */
export function resolveOtelApi(): OtelApiModule | undefined {
  const own = tryLoadOtelApi();
  const registered = otelGlobal();
  // Without a copy of its own, penstock uses a registration that holds a tracer provider.
  if (own === undefined) return registered?.trace !== undefined ? adapter() : undefined;
  if (registered !== undefined && globalHasProvider(registered) && !ownSeesGlobal(own, registered)) {
    const theirs = otelGlobalVersion(registered) ?? "another version";
    const mine = ownApiVersion() ?? "another version";
    warnOtelOnce(
      "version-mismatch",
      `an OpenTelemetry SDK registered its tracer provider through @opentelemetry/api ${theirs}, which the @opentelemetry/api ${mine} that penstock loads cannot use ` +
        `(an older minor version, or another major). penstock reads the registration directly, but other code that uses @opentelemetry/api ${mine} records nothing. ` +
        `Install one version for the whole app: npm install @opentelemetry/api@${theirs === "another version" ? "<the SDK's version>" : theirs} (then npm dedupe).`,
    );
    return adapter();
  }
  return own;
}

/**
 * True when an SDK has registered a real tracer provider. The API alone hands out no-op
 * spans with all-zero trace IDs, which would make every correlation ID the same. Relies on
 * the API's `ProxyTracerProvider.getDelegate()` (docs/architecture.md, "What penstock relies
 * on"): an API of another shape, or one that throws, counts as no provider, never as an error.
 */
export function hasRealTracerProvider(api: OtelApiModule): boolean {
  if (adapters.has(api)) return globalHasProvider(otelGlobal());
  try {
    const provider = api.trace.getTracerProvider() as { getDelegate?: () => object };
    const delegate = typeof provider.getDelegate === "function" ? provider.getDelegate() : provider;
    const noop = new api.ProxyTracerProvider().getDelegate();
    return delegate !== null && typeof delegate === "object" && delegate !== noop && delegate.constructor?.name !== "NoopTracerProvider";
  } catch {
    return false;
  }
}
