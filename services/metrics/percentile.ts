/**
 * The k-th smallest (0-based) of values[from..], rearranging values[from..] in place
 * (quickselect): afterwards nothing before k is larger, nothing after it smaller.
 */
export function selectKth(values: Float64Array, k: number, from: number): number {
  let lo = from;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}

/**
 * PostgreSQL's percentile_cont at each of `fractions` (ascending): the value at rank
 * p × (n − 1), interpolated between its neighbours. Rearranges `values`; nulls when
 * empty. Linear time, no full sort: each selection leaves everything above its rank
 * after it, so the next one only searches what is left.
 */
export function percentilesCont(values: Float64Array, fractions: readonly number[]): Array<number | null> {
  const n = values.length;
  if (n === 0) return fractions.map(() => null);
  let from = 0;
  return fractions.map((p) => {
    const rank = p * (n - 1);
    const below = Math.floor(rank);
    const low = selectKth(values, below, from);
    from = below;
    if (rank === below) return low;
    // Everything after `below` is now at least `low`: the next value is their minimum.
    let high = Infinity;
    for (let i = below + 1; i < n; i++) if (values[i]! < high) high = values[i]!;
    return low + (rank - below) * (high - low);
  });
}

/** percentile_cont at one fraction; see percentilesCont. */
export function percentileCont(values: Float64Array, p: number): number | null {
  return percentilesCont(values, [p])[0]!;
}
