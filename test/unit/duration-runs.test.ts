import { expect, test } from 'vitest';
import { BUCKET_COUNT, bucketOf, bucketsOf } from '../../services/response-times/duration-buckets.ts';
import { DurationRuns } from '../../services/response-times/duration-runs.ts';
import { percentileBySort, seededRandom } from '../support/reference-percentile.ts';

test('buckets keep the order of durations and stay in range', () => {
  const random = seededRandom(3);
  const values = [0, 0.4, 1, 1.5, 2, 31, 32, 33, 63, 64, 86_400, 2 ** 31 - 1, 2 ** 31, 1e12];
  for (let i = 0; i < 5_000; i++) values.push(random() * 10 ** (random() * 9));
  values.sort((a, b) => a - b);
  for (let i = 1; i < values.length; i++) expect(bucketOf(values[i]!)).toBeGreaterThanOrEqual(bucketOf(values[i - 1]!));
  expect(bucketOf(0)).toBe(0);
  expect(bucketOf(1e12)).toBe(BUCKET_COUNT - 1);
});

/** One group's percentiles of these values, given as one run. */
function percentilesOf(values: number[], fractions: number[]): Array<number | null> {
  const runs = new DurationRuns();
  const seconds = Float64Array.from(values);
  runs.add(0, seconds, bucketsOf(seconds), 0, seconds.length);
  return runs.percentiles(1, fractions)[0]!;
}

test('as PostgreSQL percentile_cont: interpolated between neighbours', () => {
  expect(percentilesOf([3_600, 7_200, 108_000, 259_200], [0.5])).toEqual([57_600]);
  expect(percentilesOf([259_200, 3_600, 108_000, 7_200], [0.9])[0]).toBeCloseTo(213_840, 6);
  expect(percentilesOf([5], [0.5, 0.9])).toEqual([5, 5]);
  expect(new DurationRuns().percentiles(2, [0.5])).toEqual([[null], [null]]);
});

test('percentiles over runs of several lists match a full sort, small groups and large, ties included', () => {
  const random = seededRandom(5);
  for (let round = 0; round < 60; round++) {
    const groups = 1 + Math.floor(random() * 4);
    const runs = new DurationRuns();
    const expected: number[][] = Array.from({ length: groups }, () => []);
    for (let list = 0; list < 8; list++) {
      const size = Math.floor(random() * (round % 3 === 0 ? 60 : 3_000));
      const seconds = Float64Array.from({ length: size }, () =>
        round % 4 === 0 ? Math.floor(random() * 5) * 3_600 : random() < 0.1 ? 0 : random() ** 3 * 900_000,
      );
      const buckets = bucketsOf(seconds);
      for (let from = 0; from < size; ) {
        const to = Math.min(size, from + 1 + Math.floor(random() * 200));
        const group = Math.floor(random() * groups);
        runs.add(group, seconds, buckets, from, to);
        expected[group]!.push(...seconds.subarray(from, to));
        from = to;
      }
    }
    const fractions = [0.1, 0.5, 0.9, 0.99];
    const got = runs.percentiles(groups, fractions);
    expected.forEach((values, g) => {
      fractions.forEach((p, f) => {
        const want = percentileBySort(values, p);
        if (want === null) expect(got[g]![f]).toBeNull();
        else expect(got[g]![f]).toBeCloseTo(want, 6);
      });
    });
  }
});
