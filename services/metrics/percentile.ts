/** The k-th smallest (0-based) of values[from..], rearranging values in place (quickselect). */
function select(values: Float64Array, k: number, from: number): number {
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
 * PostgreSQL's percentile_cont: the value at rank p × (n − 1), interpolated between
 * its neighbours. Rearranges `values`; null when empty. Linear time, no full sort.
 */
export function percentileCont(values: Float64Array, p: number): number | null {
  const n = values.length;
  if (n === 0) return null;
  const rank = p * (n - 1);
  const below = Math.floor(rank);
  const low = select(values, below, 0);
  if (rank === below) return low;
  // Everything after `below` is now at least `low`: the next value is their minimum.
  let high = Infinity;
  for (let i = below + 1; i < n; i++) if (values[i]! < high) high = values[i]!;
  return low + (rank - below) * (high - low);
}
