// The one globalThis slot that holds penstock's shared state, so that an ESM and a CommonJS
// copy of penstock loaded in one process share one registry, one context and one configuration.
import { createFrameStorage, type FrameStorage } from "../context/frame-store";
import type { RegistryState } from "../registry/state";
import type { ConfigState } from "../config/state";
import type { DriftState } from "../observations/state";

/** Bump when the shape below changes incompatibly; copies with another version keep apart. */
const SLOT = Symbol.for("penstock.global.v2");

export interface PenstockGlobal {
  readonly storage: FrameStorage;
  readonly registry: RegistryState;
  readonly config: ConfigState;
  readonly drift: DriftState;
}

function createGlobal(): PenstockGlobal {
  return {
    storage: createFrameStorage(),
    registry: { flows: new Map(), snapshot: undefined },
    config: {
      backendChoice: "auto",
      logger: undefined,
      tracer: undefined,
      strict: true,
      trustInbound: true,
      onError: undefined,
      resolved: undefined,
      flowIdGenerator: false,
      warned: new Set(),
    },
    drift: { flows: new Map() },
  };
}

const holder = globalThis as unknown as Record<symbol, PenstockGlobal | undefined>;

/** Read once per module load: the hot path then holds a plain reference, not a lookup. */
export const shared: PenstockGlobal = holder[SLOT] ?? (holder[SLOT] = createGlobal());
// A copy from before drift recording made the slot without `drift`: a member added since is
// filled in, so that old and new copies keep sharing the rest.
(shared as { drift?: DriftState }).drift ??= { flows: new Map() };
(shared.config as { trustInbound?: boolean }).trustInbound ??= true;
