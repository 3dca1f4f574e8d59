/**
 * Durations sorted into coarse buckets that keep their order: whole seconds by their
 * binary magnitude and the five bits after the leading one (32 buckets per doubling,
 * each about 3 % wide), everything under a second in bucket 0. A percentile is then
 * found by counting bucket sizes and selecting inside the one bucket that holds the
 * rank, instead of partitioning every value.
 */
export const BUCKET_COUNT = 1 + 31 * 32;

/** The bucket of a duration in seconds (≥ 0); a larger duration never has a smaller bucket. */
export function bucketOf(seconds: number): number {
  const whole = seconds >= 2_147_483_647 ? 2_147_483_647 : Math.floor(seconds);
  if (whole <= 0) return 0;
  const magnitude = 31 - Math.clz32(whole);
  const next5 = magnitude >= 5 ? (whole >>> (magnitude - 5)) & 31 : (whole << (5 - magnitude)) & 31;
  return 1 + magnitude * 32 + next5;
}

/** The buckets of a list of durations. */
export function bucketsOf(seconds: Float64Array): Uint16Array {
  const buckets = new Uint16Array(seconds.length);
  for (let i = 0; i < seconds.length; i++) buckets[i] = bucketOf(seconds[i]!);
  return buckets;
}
