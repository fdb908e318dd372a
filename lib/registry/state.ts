// The mutable registry behind the frozen snapshots (internal).
import type { Registry, StepInfo } from "../types";

export interface MutableFlow {
  readonly name: string;
  readonly entrypoints: string[];
  readonly steps: Map<string, StepInfo>;
}

export interface RegistryState {
  readonly flows: Map<string, MutableFlow>;
  /** The snapshot handed out since the last registration; cleared by the next one. */
  snapshot: Registry | undefined;
}
