import { BUCKET_COUNT } from './duration-buckets.ts';
import { selectKth } from './select-kth.ts';

/** Below this many values a group's percentiles are selected directly, without counting buckets. */
const DIRECT_SELECTION_BELOW = 256;

function grown(values: Int32Array<ArrayBuffer>, at: number): Int32Array<ArrayBuffer> {
  if (at < values.length) return values;
  const bigger = new Int32Array(values.length * 2);
  bigger.set(values);
  return bigger;
}

/**
 * One kind of duration (responses, or resolutions) as a report's groups collect it:
 * runs of a chunk's list, by reference, never copied. Percentiles are then found per
 * group in two passes over its runs: one counts bucket sizes, one gathers only the
 * values of the buckets that hold the ranks asked for, which are then selected.
 */
export class DurationRuns {
  private groupOf = new Int32Array(1024);
  private from = new Int32Array(1024);
  private to = new Int32Array(1024);
  private readonly seconds: Float64Array[] = [];
  private readonly buckets: Uint16Array[] = [];
  private count = 0;

  add(group: number, seconds: Float64Array, buckets: Uint16Array, from: number, to: number): void {
    if (to <= from) return;
    const at = this.count++;
    this.groupOf = grown(this.groupOf, at);
    this.from = grown(this.from, at);
    this.to = grown(this.to, at);
    this.groupOf[at] = group;
    this.from[at] = from;
    this.to[at] = to;
    this.seconds.push(seconds);
    this.buckets.push(buckets);
  }

  /**
   * PostgreSQL's percentile_cont of each group's durations at each of `fractions`
   * (ascending): `result[group][f]`, null for a group with no durations.
   */
  percentiles(groups: number, fractions: readonly number[]): Array<Array<number | null>> {
    // The runs of each group, side by side (a counting sort by group).
    const starts = new Int32Array(groups + 1);
    for (let r = 0; r < this.count; r++) starts[this.groupOf[r]! + 1]!++;
    for (let g = 0; g < groups; g++) starts[g + 1]! += starts[g]!;
    const order = new Int32Array(this.count);
    const next = starts.slice(0, groups);
    for (let r = 0; r < this.count; r++) order[next[this.groupOf[r]!]!++] = r;

    const counts = new Int32Array(BUCKET_COUNT);
    const results: Array<Array<number | null>> = [];
    for (let g = 0; g < groups; g++) {
      const runs = order.subarray(starts[g]!, starts[g + 1]!);
      let n = 0;
      for (const r of runs) n += this.to[r]! - this.from[r]!;
      if (n === 0) {
        results.push(fractions.map(() => null));
        continue;
      }
      const ranks = [...new Set(fractions.flatMap((p) => {
        const below = Math.floor(p * (n - 1));
        return below + 1 < n ? [below, below + 1] : [below];
      }))].sort((a, b) => a - b);
      const valueAt = n < DIRECT_SELECTION_BELOW ? this.selectAmongAll(runs, n, ranks) : this.selectInBuckets(runs, ranks, counts);
      results.push(
        fractions.map((p) => {
          const rank = p * (n - 1);
          const below = Math.floor(rank);
          const low = valueAt.get(below)!;
          return rank === below ? low : low + (rank - below) * (valueAt.get(below + 1)! - low);
        }),
      );
    }
    return results;
  }

  /** Copies every value of the group, then selects each rank (ascending: each search starts at the last). */
  private selectAmongAll(runs: Int32Array, n: number, ranks: readonly number[]): Map<number, number> {
    const values = new Float64Array(n);
    let at = 0;
    for (const r of runs) {
      const seconds = this.seconds[r]!;
      for (let i = this.from[r]!, end = this.to[r]!; i < end; i++) values[at++] = seconds[i]!;
    }
    const found = new Map<number, number>();
    let from = 0;
    for (const rank of ranks) {
      found.set(rank, selectKth(values, rank, from));
      from = rank;
    }
    return found;
  }

  /**
   * Counts the group's values per bucket, copies only the values of the buckets that
   * hold the ranks (each bucket in a region of its own), and selects inside those.
   */
  private selectInBuckets(runs: Int32Array, ranks: readonly number[], counts: Int32Array): Map<number, number> {
    counts.fill(0);
    for (const r of runs) {
      const buckets = this.buckets[r]!;
      for (let i = this.from[r]!, end = this.to[r]!; i < end; i++) counts[buckets[i]!]!++;
    }
    // Per rank (ascending): its bucket, and how many values lie in the buckets below it.
    const bucketOfRank: number[] = [];
    const belowBucket: number[] = [];
    let bucket = 0;
    let below = 0;
    for (const rank of ranks) {
      while (below + counts[bucket]! <= rank) below += counts[bucket++]!;
      bucketOfRank.push(bucket);
      belowBucket.push(below);
    }
    const regions = new Map<number, { start: number; size: number }>();
    let size = 0;
    for (const b of bucketOfRank) {
      if (regions.has(b)) continue;
      regions.set(b, { start: size, size: counts[b]! });
      size += counts[b]!;
    }
    const values = new Float64Array(size);
    const regionStart = new Int32Array(BUCKET_COUNT).fill(-1);
    for (const [b, region] of regions) regionStart[b] = region.start;
    for (const r of runs) {
      const seconds = this.seconds[r]!;
      const buckets = this.buckets[r]!;
      for (let i = this.from[r]!, end = this.to[r]!; i < end; i++) {
        const bucket = buckets[i]!;
        const at = regionStart[bucket]!;
        if (at >= 0) {
          values[at] = seconds[i]!;
          regionStart[bucket] = at + 1;
        }
      }
    }
    const found = new Map<number, number>();
    let lastBucket = -1;
    let from = 0;
    ranks.forEach((rank, k) => {
      const region = regions.get(bucketOfRank[k]!)!;
      const local = region.start + rank - belowBucket[k]!;
      // Within one region, a selection leaves everything above its rank after it.
      if (bucketOfRank[k] !== lastBucket) from = region.start;
      found.set(rank, selectKth(values.subarray(0, region.start + region.size), local, from));
      lastBucket = bucketOfRank[k]!;
      from = local;
    });
    return found;
  }
}
