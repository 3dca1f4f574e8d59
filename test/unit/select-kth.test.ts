import { expect, test } from 'vitest';
import { selectKth } from '../../services/response-times/select-kth.ts';
import { seededRandom } from '../support/reference-percentile.ts';

test('the k-th smallest matches a full sort, with many ties, each k searched from the last', () => {
  const random = seededRandom(7);
  for (let round = 0; round < 200; round++) {
    const n = 1 + Math.floor(random() * 300);
    const values = Array.from({ length: n }, () => Math.floor(random() * (round % 2 === 0 ? 10 : 1e6)));
    const sorted = [...values].sort((a, b) => a - b);
    const array = Float64Array.from(values);
    const ranks = [...new Set([0, Math.floor(n / 10), Math.floor(n / 2), Math.floor((9 * n) / 10), n - 1])].sort((a, b) => a - b);
    let from = 0;
    for (const k of ranks) {
      expect(selectKth(array, k, from)).toBe(sorted[k]);
      // Nothing before k is larger, nothing after it smaller.
      for (let i = 0; i < n; i++) expect(i < k ? array[i]! <= array[k]! : array[i]! >= array[k]!).toBe(true);
      from = k;
    }
  }
});
