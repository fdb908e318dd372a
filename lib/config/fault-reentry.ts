// Fault reporting is not re-entrant: a fault raised while onError runs, directly or through the
// calls it makes (synchronous, or continued from them: promises, timers), is counted and dropped,
// never fed back into onError. Otherwise an onError that calls a wrapped step whose backend
// faults would loop, and an async loop starves the event loop (docs/reliability.md).
// An AsyncLocalStorage, made at the first onError call: a process without faults never has it,
// since a second AsyncLocalStorage costs every traced call on Node 20 and 22
// (lib/context/frame-store.ts).
import { AsyncLocalStorage } from "node:async_hooks";
import { emitWarning } from "../internal/emit-warning";
import { globalSingleton } from "../internal/global";
import { config } from "./state";

interface Reentry {
  storage: AsyncLocalStorage<true> | undefined;
  /** Faults dropped because they were raised while onError ran. */
  dropped: number;
}

const reentry: Reentry = globalSingleton("faultReentry@1", () => ({ storage: undefined, dropped: 0 }));

/** True (and the fault counted) when a fault arrives from inside an onError call. */
export function dropIfReentrant(): boolean {
  if (reentry.storage?.getStore() !== true) return false;
  reentry.dropped++;
  // One warning, until the configuration is reset (as for the other faults' warnings).
  if (!config.warned.has("fault-dropped")) {
    config.warned.add("fault-dropped");
    emitWarning(
      "penstock: a tracing fault was raised while configure({ onError }) was handling another one (onError, or a traced " +
        "call it made, faulted again); it was dropped, as every later one of this kind is, so that onError never feeds itself.",
      { code: "PENSTOCK_FAULT_DROPPED" },
    );
  }
  return true;
}

/** Calls `onError(error, info)` marked as fault handling, for it and everything it starts. */
export function callOnError<I>(onError: (error: unknown, info?: I) => void, error: unknown, info: I | undefined): void {
  (reentry.storage ??= new AsyncLocalStorage<true>()).run(true, onError, error, info);
}

/** How many faults were dropped as raised inside onError (for tests and diagnostics). */
export function droppedFaultCount(): number {
  return reentry.dropped;
}
