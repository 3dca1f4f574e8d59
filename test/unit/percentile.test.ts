import { expect, test } from 'vitest';
import { percentileCont } from '../../services/metrics/percentile.ts';

/** The textbook definition, by full sort, to check the selection against. */
function bySort(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const below = Math.floor(rank);
  return sorted[below]! + (rank - below) * ((sorted[Math.ceil(rank)] ?? sorted[below]!) - sorted[below]!);
}

test('as PostgreSQL percentile_cont: interpolated between neighbours', () => {
  expect(percentileCont(Float64Array.of(3_600, 7_200, 108_000, 259_200), 0.5)).toBe(57_600);
  expect(percentileCont(Float64Array.of(259_200, 3_600, 108_000, 7_200), 0.9)).toBeCloseTo(213_840, 6);
  expect(percentileCont(Float64Array.of(5), 0.9)).toBe(5);
  expect(percentileCont(new Float64Array(0), 0.5)).toBeNull();
});

test('matches a full sort on random data, with many ties, for every percentile asked in turn', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let round = 0; round < 200; round++) {
    const n = 1 + Math.floor(random() * 300);
    const values = Array.from({ length: n }, () => Math.floor(random() * (round % 2 === 0 ? 10 : 1e6)));
    const array = Float64Array.from(values);
    for (const p of [0.5, 0.9, 0.1, 0.99]) expect(percentileCont(array, p)).toBeCloseTo(bySort(values, p)!, 6);
  }
});
