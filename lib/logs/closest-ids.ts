// The IDs nearest to one that is not in the logs, for `penstock logs --id`: those it is a prefix
// of first, then by edit distance. Levenshtein over two short IDs is a few lines; a dependency
// for it would be the bin's only one.

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Keeps the `size` IDs closest to `wanted` among those offered, without holding the rest.
 *
 * @example
 * const near = closestIds("4bf92f35", 5); near.offer("4bf92f3577b34da6a3ce929d0e0e4736"); near.best()
 */
export function closestIds(wanted: string, size: number) {
  const best: { id: string; score: number }[] = [];
  // IDs are compared on a prefix as long as the one wanted (plus slack): a 1 MB ID costs nothing.
  const cap = wanted.length + 8;
  return {
    offer(id: string): void {
      const score = id.startsWith(wanted) ? -1 : distance(wanted, id.slice(0, cap));
      if (best.length === size && score >= best[best.length - 1]!.score) return;
      if (best.some((entry) => entry.id === id)) return;
      best.push({ id, score });
      best.sort((a, b) => a.score - b.score);
      if (best.length > size) best.pop();
    },
    best: (): string[] => best.map(({ id }) => id),
  };
}
