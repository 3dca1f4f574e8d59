import type { ResponseTimeGroup } from './response-time-query.ts';

const COLUMNS: ReadonlyArray<keyof ResponseTimeGroup> = [
  'key', 'items', 'responded', 'respondedPct', 'medianSeconds', 'p90Seconds', 'meanSeconds',
  'within24hPct', 'within48hPct', 'open', 'overdue', 'resolved', 'medianResolutionSeconds',
];

/** RFC 4180 quoting; a leading =,+,-,@ is defused so a spreadsheet never runs a responder's name as a formula. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The same groups as the JSON answer, one row each, header first; empty cells for null. */
export function responseTimesCsv(groups: readonly ResponseTimeGroup[]): string {
  const lines = [COLUMNS.join(','), ...groups.map((group) => COLUMNS.map((column) => cell(group[column])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
