import type { SpikeWindow } from '../../db/repositories/spikes.ts';

/**
 * What makes a spike of bad items: more negative items in the last few hours than the
 * business usually gets, by enough to be news and not noise. Pure; the counting is
 * db/repositories/spikes.ts, the sending services/scheduler/spike-alerts.ts.
 */

/** The delivery kind of a spike alert: a delivery about a business. */
export const SPIKE = 'spike';

export const SPIKE_WINDOW_HOURS = 6;
export const SPIKE_HISTORY_DAYS = 28;
/** Fewer than this in the window is never a spike, however quiet the business usually is. */
export const SPIKE_MINIMUM = 5;
/** How many more than the usual mean make a spike. */
export const SPIKE_ABOVE_USUAL = 3;

/** The window ending at `at`, with its history. */
export function spikeWindow(at: Date): SpikeWindow {
  return { at, windowHours: SPIKE_WINDOW_HOURS, historyDays: SPIKE_HISTORY_DAYS };
}

/** The mean count per window over the history: 28 days hold 112 six-hour windows. */
export function usualPerWindow(history: number): number {
  return history / ((SPIKE_HISTORY_DAYS * 24) / SPIKE_WINDOW_HOURS);
}

export function isSpike(counts: { current: number; history: number }): boolean {
  return counts.current >= SPIKE_MINIMUM && counts.current >= usualPerWindow(counts.history) + SPIKE_ABOVE_USUAL;
}

/**
 * The fixed block of the clock (UTC, six hours long) an instant falls in, as a spike's
 * incident: `spike:2026-12-06T12` for 12:00 to 18:00. One spike alert per business and
 * block at most; `previous` gives the block before, so a spike that goes on across a block
 * boundary is still told once.
 */
export function spikeBlock(at: Date, previous = false): string {
  const blockMs = SPIKE_WINDOW_HOURS * 3_600_000;
  const start = new Date((Math.floor(at.getTime() / blockMs) - (previous ? 1 : 0)) * blockMs);
  return `spike:${start.toISOString().slice(0, 13)}`;
}

/** The topic more than half of the items share (what they complain about), or null; `other` is no topic to name. */
export function sharedTopic(items: ReadonlyArray<{ topics: readonly string[] }>): string | null {
  const counts = new Map<string, number>();
  for (const item of items) for (const topic of new Set(item.topics)) if (topic !== 'other') counts.set(topic, (counts.get(topic) ?? 0) + 1);
  // An item can be about two things, so two topics may both pass half: the commoner is named.
  const [topic, count] = [...counts].sort((x, y) => y[1] - x[1])[0] ?? [null, 0];
  return count * 2 > items.length ? topic : null;
}
