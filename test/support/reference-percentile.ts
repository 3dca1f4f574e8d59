/** percentile_cont by its textbook definition, over a full sort: what faster selections are checked against. */
export function percentileBySort(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const below = Math.floor(rank);
  return sorted[below]! + (rank - below) * ((sorted[Math.ceil(rank)] ?? sorted[below]!) - sorted[below]!);
}

/** A repeatable pseudo-random sequence in [0, 1), so a failing case can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}
