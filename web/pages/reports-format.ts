/** How the reports page writes figures for people: durations in words, periods as dates. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A duration as a person reads it, to the precision that matters at its size:
 * "45 s", "12 min", "3 h 20 min", "4 d 6 h". Null (nothing to measure) is a dash.
 */
export function humanDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  }
  const hours = Math.round(seconds / 3600);
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours === 0 ? `${days} d` : `${days} d ${restHours} h`;
}

/** A share as the API rounds it (one decimal), or a dash when there is nothing to share. */
export function percent(value: number | null): string {
  return value === null ? '—' : `${value} %`;
}

function parts(isoDay: string): { year: number; month: number; day: number } {
  const [year = 0, month = 1, day = 1] = isoDay.split('-').map(Number);
  return { year, month, day };
}

/** "2 Mar 2026": a day in words, read as UTC like the API's period keys. */
export function dayInWords(isoDay: string): string {
  const { year, month, day } = parts(isoDay);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** A period key in words, under a "Week of" or "Month" heading: "2 Mar 2026" or "March 2026". */
export function periodInWords(period: string, groupBy: 'week' | 'month'): string {
  const { year, month } = parts(period);
  return groupBy === 'week' ? dayInWords(period) : `${MONTH_NAMES[month - 1]} ${year}`;
}

/** A period key, short enough for a chart's axis: "2 Mar 2026" or "Mar 2026". */
export function periodAxisLabel(period: string, groupBy: 'week' | 'month'): string {
  const { year, month } = parts(period);
  return groupBy === 'week' ? dayInWords(period) : `${MONTHS[month - 1]} ${year}`;
}
