/**
 * The k-th smallest (0-based) of values[from..], rearranging values[from..] in place
 * (quickselect): afterwards nothing before k is larger, nothing after it smaller, so
 * a larger k can then be searched from k on. Linear time on average, no full sort.
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
