// The one globalThis slot that holds penstock's shared state, and every `Symbol.for` key
// penstock uses, so that the ESM and the CommonJS build (or two installed copies) loaded in
// one process share one registry, one flow context and one configuration.
//
// Version rule: each member is named with the version of its shape ("config@1"). A change
// to a member's shape bumps that member's version, so copies that disagree on it keep apart
// (each makes its own) while they go on sharing every member whose shape they agree on.
// No member is ever patched for another copy's shape. The one exception: a method or field
// added to a member that every reader checks for, and does without, keeps the version (so that
// copies go on sharing it): `frames@2`'s `enterOver`, and the `record` of the frames it holds.

/** The slot on `globalThis` that holds every shared member, by name and version. */
export const GLOBAL_KEY = Symbol.for("penstock.global");

/** Wrapped functions carry their `StepInfo` under this key (read by `stepInfo()` and `after`). */
export const STEP_INFO_KEY = Symbol.for("penstock.step");

/** Errors penstock makes carry this brand, so `instanceof PenstockError` holds across copies. */
export const ERROR_BRAND_KEY = Symbol.for("penstock.error");

type Slot = Record<string, unknown>;

const holder = globalThis as unknown as Record<symbol, Slot | undefined>;

/**
 * The shared member `name` (with its version, "config@1"), made by `create` in the first copy
 * that asks for it. Each owning module calls it once, at load, and keeps the reference: the
 * hot path never looks the slot up.
 */
export function globalSingleton<T>(name: string, create: () => T): T {
  const slot = (holder[GLOBAL_KEY] ??= Object.create(null) as Slot);
  return (slot[name] ??= create()) as T;
}
