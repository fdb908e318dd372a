// The OpenTelemetry setups that record nothing, or not what the user thinks, said once each
// (a process warning) instead of silently falling back.
import { config } from "../config/state";

export type OtelWarning = "version-mismatch" | "no-sdk" | "sentry-without-otel";

/** One process warning per kind, for the life of the configuration (resetPenstock forgets them). */
export function warnOtelOnce(kind: OtelWarning, message: string): void {
  const key = `otel:${kind}`;
  if (config.warned.has(key)) return;
  config.warned.add(key);
  process.emitWarning(`penstock: ${message}`, { code: "PENSTOCK_OTEL_SETUP" });
}

/** The major version of a Sentry SDK loaded in this process (its `globalThis.__SENTRY__` carrier), if any. */
export function sentryMajorVersion(): number | undefined {
  try {
    const version = (globalThis as { __SENTRY__?: { version?: unknown } }).__SENTRY__?.version;
    const major = typeof version === "string" ? Number.parseInt(version, 10) : NaN;
    return Number.isInteger(major) ? major : undefined;
  } catch {
    return undefined;
  }
}

/** Sentry 8 or later without an OpenTelemetry provider: its traces and penstock's IDs cannot match. */
export function warnIfSentryWithoutOtel(): void {
  const major = sentryMajorVersion();
  if (major === undefined || major < 8) return;
  warnOtelOnce(
    "sentry-without-otel",
    `@sentry/node ${major} is running but no OpenTelemetry tracer provider is registered, so penstock logs with its own correlation IDs, ` +
      `which never match Sentry's trace IDs. Enable Sentry's OpenTelemetry setup: Sentry.init({ enableOpenTelemetrySetup: true, ... }) ` +
      `(Sentry 11; in Sentry 8-10, leave skipOpenTelemetrySetup unset), before the first traced call.`,
  );
}
