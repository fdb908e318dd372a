// The configuration: its shape, its defaults and its reset, in one place. Set by configure(),
// read on every call; one record in the global slot, shared by every copy of penstock.
import type { Logger } from "pino";
import { globalSingleton } from "../internal/global";
import type { Backend, SpanInfo } from "../types";

/** A backend penstock builds by name, or a record; a list of them runs them all (combineBackends). */
export type BackendEntry = "logging" | "otel" | Backend;
export type BackendChoice = "auto" | BackendEntry | readonly BackendEntry[];

export interface ConfigState {
  backendChoice: BackendChoice;
  logger: Logger | undefined;
  /** An OpenTelemetry Tracer; typed loosely so the core never needs @opentelemetry/api. */
  tracer: unknown;
  strict: boolean;
  /**
   * Whether inbound IDs (`runInFlow` options, `extractFlow`) are adopted when valid (default
   * true). False at a public edge: every inbound flow starts with a fresh ID.
   */
  trustInbound: boolean;
  onError: ((error: unknown, info?: SpanInfo) => void) | undefined;
  /** configure({ expected }): errors of every step that are part of normal operation. */
  expected: ((error: unknown) => boolean) | undefined;
  /** The backend in use, resolved on first use and kept until configure() is called. */
  resolved: Backend | undefined;
  /**
   * Set once a `flowIdGenerator()` has been made for an OpenTelemetry SDK: a flow opened
   * before any span then gets true root spans with its ID, rather than a remote parent.
   */
  flowIdGenerator: boolean;
  /** Whether calls are observed for diffDag and flowStats (default true). */
  observe: boolean;
  /** The provider that last asked the flowIdGenerator for a trace ID: its effect ends when another is registered. */
  flowIdGeneratorProvider: unknown;
  /** Kinds of backend fault already reported as a process warning (one warning per kind). */
  readonly warned: Set<string>;
}

function defaults(): Omit<ConfigState, "warned"> {
  return {
    backendChoice: "auto",
    logger: undefined,
    tracer: undefined,
    strict: true,
    trustInbound: true,
    onError: undefined,
    expected: undefined,
    resolved: undefined,
    flowIdGenerator: false,
    observe: true,
    flowIdGeneratorProvider: undefined,
  };
}

/** The shared configuration; modules hold this reference, so it is reset in place, never replaced. */
export const config: ConfigState = globalSingleton("config@1", () => ({ ...defaults(), warned: new Set<string>() }));

/** Back to the defaults: auto-detection, strict, inbound IDs trusted, no onError, no warnings remembered. */
export function resetConfiguration(): void {
  Object.assign(config, defaults());
  config.warned.clear();
}
