import { LABEL_COLUMNS, type LabelledGroup } from './group-labels.ts';
import type { ResponseTimeGroup, ResponseTimeGrouping } from './response-time-query.ts';

const FIGURES: ReadonlyArray<keyof ResponseTimeGroup> = [
  'items', 'responded', 'respondedPct', 'medianSeconds', 'p90Seconds', 'meanSeconds',
  'within24hPct', 'within48hPct', 'open', 'overdue', 'resolved', 'medianResolutionSeconds',
];

/** RFC 4180 quoting; a leading =,+,-,@ is defused so a spreadsheet never runs a responder's name as a formula. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The same groups as the JSON answer, one row each, header first: key, the grouping's labels, figures; empty cells for null. */
export function responseTimesCsv(groups: readonly LabelledGroup[], groupBy: ResponseTimeGrouping): string {
  const columns: ReadonlyArray<keyof LabelledGroup> = ['key', ...LABEL_COLUMNS[groupBy], ...FIGURES];
  const lines = [columns.join(','), ...groups.map((group) => columns.map((column) => cell(group[column] ?? null)).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
