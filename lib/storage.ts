// The AsyncLocalStorage that carries the flow context (internal accessors).
import { shared } from "./global";
import type { Frame } from "./frame";

export const storage = shared.storage;

/** The frame of the running flow call, or undefined outside any flow. */
export function currentFrame(): Frame | undefined {
  return storage.getStore();
}
