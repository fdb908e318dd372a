// Stable, collision-free identifiers for names that cannot be written as they are.

/**
 * The 32-bit FNV-1a hash of the UTF-8 bytes of `text`, as 8 lower-case hex digits.
 * Small, fast and the same in every language, so ids can be recomputed outside penstock.
 *
 * @example
 * fnv1a("a") // "e40c292c"
 */
export function fnv1a(text: string): string {
  // UTF-8 is encoded here, byte by byte, as TextEncoder does (a lone surrogate as U+FFFD),
  // rather than by TextEncoder#encode: that allocated an array per name of a drawing.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      hash = Math.imul(hash ^ code, 0x01000193);
      continue;
    }
    if (code < 0x800) {
      hash = Math.imul(hash ^ (0xc0 | (code >> 6)), 0x01000193);
      hash = Math.imul(hash ^ (0x80 | (code & 0x3f)), 0x01000193);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        hash = Math.imul(hash ^ (0xf0 | (code >> 18)), 0x01000193);
        hash = Math.imul(hash ^ (0x80 | ((code >> 12) & 0x3f)), 0x01000193);
        hash = Math.imul(hash ^ (0x80 | ((code >> 6) & 0x3f)), 0x01000193);
        hash = Math.imul(hash ^ (0x80 | (code & 0x3f)), 0x01000193);
        continue;
      }
      code = 0xfffd;
    }
    hash = Math.imul(hash ^ (0xe0 | (code >> 12)), 0x01000193);
    hash = Math.imul(hash ^ (0x80 | ((code >> 6) & 0x3f)), 0x01000193);
    hash = Math.imul(hash ^ (0x80 | (code & 0x3f)), 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** Hands out identifiers that are unique within one drawing. */
export interface IdAllocator {
  /** Marks `id` as taken (a name that is its own id). */
  reserve(id: string): void;
  /** `candidate` if it is free, else the first free `candidate_2`, `candidate_3`, ... */
  allocate(candidate: string): string;
}

/**
 * A fresh allocator. Callers allocate in sorted order, which is what makes the resolution of
 * a (rare) collision deterministic.
 *
 * @example
 * const ids = createIdAllocator();
 * ids.allocate("n_1"); ids.allocate("n_1") // "n_1", then "n_1_2"
 */
export function createIdAllocator(): IdAllocator {
  const taken = new Set<string>();
  return {
    reserve(id) {
      taken.add(id);
    },
    allocate(candidate) {
      let id = candidate;
      for (let n = 2; taken.has(id); n++) id = `${candidate}_${n}`;
      taken.add(id);
      return id;
    },
  };
}

/**
 * Node ids for one flow drawn on its own: a name the format can write bare is its own id
 * (reserved first, so no hashed id can take it); any other name gets `n_<fnv1a>`.
 *
 * @example
 * singleFlowIds(["a", "end"], (name) => name !== "end") // Map { "a" => "a", "end" => "n_…" }
 */
export function singleFlowIds(names: Iterable<string>, isPlain: (name: string) => boolean): Map<string, string> {
  const allocator = createIdAllocator();
  const ids = new Map<string, string>();
  const hashed: string[] = [];
  for (const name of names) {
    if (isPlain(name)) {
      allocator.reserve(name);
      ids.set(name, name);
    } else {
      hashed.push(name);
    }
  }
  for (const name of hashed) if (!ids.has(name)) ids.set(name, allocator.allocate(`n_${fnv1a(name)}`));
  return ids;
}
