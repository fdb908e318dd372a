// The storage that carries the flow context (internal accessors; lib/frame-storage.ts).
import { shared } from "../internal/global";
import type { Frame } from "./frame";

export const storage = shared.storage;

/** The frame of the running flow call, or undefined outside any flow. */
export function currentFrame(): Frame | undefined {
  return storage.getStore();
}
