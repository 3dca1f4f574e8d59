import { addDays, clockProblem, instantAt, localDayOf, minutesOfClock } from './digests/local-clock.ts';

/**
 * Quiet hours: the part of each day a person or a channel is left alone, set as local
 * times in the business's time zone, e.g. 22:00 to 07:00 (across midnight) or 12:00 to
 * 14:00. An instant alert that falls inside is held until the quiet hours end, unless the
 * item is urgent. Pure: `now` is always passed in.
 *
 * Each day's quiet hours are turned into instants by the one rule of
 * services/response-times/zone-offset.ts, so they follow the wall clock across a clock
 * change: 22:00–07:00 is 8 hours on the night clocks go forward and 10 when they go back.
 * A start or end the change skips (02:30 on a spring-forward night) is an hour later on the
 * new clock (03:30); one the change repeats is its later instant. Should that make one
 * day's quiet hours run into the next day's, they read as one stretch.
 */

export interface QuietHours {
  /** "HH:MM", local: quiet from this time on. */
  from: string;
  /** "HH:MM", local: quiet until this time; at or before `from` means the next day. */
  to: string;
}

/** A setting refused, naming the field (`from` or `to`) as the API spells it. */
export interface QuietHoursProblem {
  field: 'from' | 'to';
  message: string;
}

/** The first problem with quiet hours as entered, or null when they are valid. */
export function quietHoursProblem(hours: QuietHours): QuietHoursProblem | null {
  for (const field of ['from', 'to'] as const) {
    const problem = clockProblem(hours[field]);
    if (problem !== null) return { field, message: problem };
  }
  // Equal times could mean never quiet or always quiet: refused rather than guessed.
  if (hours.from === hours.to) return { field: 'to', message: 'must differ from "from": quiet hours cannot start and end at the same time' };
  return null;
}

/** What holds instant alerts, read at any instant. */
export interface QuietClock {
  isQuiet(now: Date): boolean;
  /** When the quiet hours `now` is in end, or null when `now` is not quiet. */
  quietUntil(now: Date): Date | null;
}

interface Window {
  start: number;
  end: number;
}

/** Quiet hours in a zone. Throws RangeError for hours `quietHoursProblem` refuses; an unknown zone throws RangeError when read. */
export function quietClock(hours: QuietHours, timeZone: string): QuietClock {
  const problem = quietHoursProblem(hours);
  if (problem !== null) throw new RangeError(`quiet hours ${problem.field} ${problem.message}`);
  const from = minutesOfClock(hours.from);
  const to = minutesOfClock(hours.to);
  const crossesMidnight = to <= from;

  /** The quiet stretch around `now`, days that touch merged into one, or null when `now` is not quiet. */
  function stretchAround(nowMs: number): Window | null {
    const today = localDayOf(timeZone, nowMs);
    // Yesterday's quiet hours may run past midnight into today; tomorrow's are looked at
    // so that one stretch ending where the next begins reads as one.
    const windows: Window[] = [-1, 0, 1, 2].map((offset) => {
      const day = addDays(today, offset);
      return { start: instantAt(timeZone, day, from), end: instantAt(timeZone, crossesMidnight ? addDays(day, 1) : day, to) };
    });
    const index = windows.findIndex((window) => window.start <= nowMs && nowMs < window.end);
    if (index === -1) return null;
    const stretch = { ...windows[index]! };
    for (const next of windows.slice(index + 1)) {
      if (next.start > stretch.end) break;
      stretch.end = Math.max(stretch.end, next.end);
    }
    return stretch;
  }

  return {
    isQuiet: (now) => stretchAround(now.getTime()) !== null,
    quietUntil: (now) => {
      const stretch = stretchAround(now.getTime());
      return stretch === null ? null : new Date(stretch.end);
    },
  };
}

/** Urgent items pass quiet hours: a 1★ review, or an item a rule marked urgent matched. */
export function isUrgent(item: { rating: number | null }, matchedUrgentRule: boolean): boolean {
  return item.rating === 1 || matchedUrgentRule;
}

/**
 * When an instant alert may be sent: `now` when there are no quiet hours, the item is
 * urgent or it is not quiet; otherwise the instant the quiet hours end.
 */
export function instantAlertSendAt(quiet: QuietClock | null, now: Date, urgent: boolean): Date {
  if (quiet === null || urgent) return now;
  return quiet.quietUntil(now) ?? now;
}
