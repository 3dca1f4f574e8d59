/** How the inbox and item pages put times, durations and stars into words. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration in its largest sensible unit: "45 min", "3 h", "2 d 4 h". */
export function durationWords(ms: number): string {
  const total = Math.max(0, ms);
  if (total < HOUR) return `${Math.max(1, Math.round(total / MINUTE))} min`;
  if (total < DAY) return `${Math.floor(total / HOUR)} h${total % HOUR >= MINUTE && total < 10 * HOUR ? ` ${Math.floor((total % HOUR) / MINUTE)} min` : ''}`;
  const days = Math.floor(total / DAY);
  const hours = Math.floor((total % DAY) / HOUR);
  return days < 7 && hours > 0 ? `${days} d ${hours} h` : `${days} d`;
}

/** How long ago: "just now", "3 h ago", "5 d ago". */
export function ageWords(at: Date, now: Date): string {
  const ms = now.getTime() - at.getTime();
  if (ms < MINUTE) return 'just now';
  return `${durationWords(ms)} ago`;
}

/** Five stars, filled up to the rating, e.g. ★★☆☆☆. */
export function starsText(rating: number): string {
  return '★'.repeat(rating) + '☆'.repeat(Math.max(0, 5 - rating));
}

/** A date and time on the business's wall clock, e.g. "5 Mar 2026, 14:05" (pages know no zone of the reader). */
export function dateTimeWords(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** The first line of a text that has words on it, shortened to `max` characters. */
export function firstLine(text: string, max = 160): string {
  const line = text.split(/\r?\n/).find((one) => one.trim() !== '')?.trim() ?? '';
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}
