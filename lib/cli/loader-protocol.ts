// What the loading process (import mode) tells the command, one JSON line each on fd 3.
import type { StepInfo } from "../types";

/** The file descriptor the loading process writes its messages to. */
export const LOADER_FD = 3;

/** The variable that makes the bin the loading process, set only by the command itself. */
export const LOADER_ENV = "PENSTOCK_CLI_LOADER";

export type LoaderMessage =
  /** The module about to be imported. */
  | { readonly kind: "loading"; readonly module: string }
  /** It threw, or something it started threw or rejected unhandled while loading. */
  | { readonly kind: "failed"; readonly module: string | undefined; readonly error: string }
  /** It ended the process (process.exit) before every module was loaded. */
  | { readonly kind: "exit"; readonly module: string | undefined; readonly code: number }
  /** The process ended by itself while a module was loading: its top-level await can never settle. */
  | { readonly kind: "ended"; readonly module: string | undefined; readonly code: number }
  /** Every module loaded: what they registered, flow by flow, in registration order. */
  | { readonly kind: "registry"; readonly steps: readonly StepInfo[] };
