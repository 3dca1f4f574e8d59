import { expect, test } from 'vitest';
import { percentileCont, percentilesCont } from '../../services/metrics/percentile.ts';
import { percentileBySort as bySort, seededRandom } from '../support/reference-percentile.ts';

test('as PostgreSQL percentile_cont: interpolated between neighbours', () => {
  expect(percentileCont(Float64Array.of(3_600, 7_200, 108_000, 259_200), 0.5)).toBe(57_600);
  expect(percentileCont(Float64Array.of(259_200, 3_600, 108_000, 7_200), 0.9)).toBeCloseTo(213_840, 6);
  expect(percentileCont(Float64Array.of(5), 0.9)).toBe(5);
  expect(percentileCont(new Float64Array(0), 0.5)).toBeNull();
});

test('matches a full sort on random data, with many ties, for every percentile asked in turn', () => {
  const random = seededRandom(7);
  for (let round = 0; round < 200; round++) {
    const n = 1 + Math.floor(random() * 300);
    const values = Array.from({ length: n }, () => Math.floor(random() * (round % 2 === 0 ? 10 : 1e6)));
    const array = Float64Array.from(values);
    for (const p of [0.5, 0.9, 0.1, 0.99]) expect(percentileCont(array, p)).toBeCloseTo(bySort(values, p)!, 6);
  }
});

test('several fractions at once, each searching only what is above the last, match a full sort', () => {
  const random = seededRandom(11);
  for (let round = 0; round < 200; round++) {
    const n = 1 + Math.floor(random() * 300);
    const values = Array.from({ length: n }, () => Math.floor(random() * (round % 2 === 0 ? 10 : 1e6)));
    const fractions = [0.1, 0.5, 0.5, 0.9, 0.99];
    const got = percentilesCont(Float64Array.from(values), fractions);
    fractions.forEach((p, i) => expect(got[i]).toBeCloseTo(bySort(values, p)!, 6));
  }
  expect(percentilesCont(new Float64Array(0), [0.5, 0.9])).toEqual([null, null]);
});
