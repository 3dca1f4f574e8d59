import { escapeHtml } from '../alert-email.ts';

/**
 * The weekly report's chart of the last weeks: items received per week, the bad ones
 * stacked at the foot of each bar. Drawn as table cells with heights and background
 * colours, not an image: mail clients block remote images by default and many strip
 * data: URIs, stylesheets, classes and SVG, while a cell's height and bgcolor render
 * everywhere (Outlook's Word engine included). Every bar carries its number, so the
 * chart reads with colours off, and the plain text draws the same bars in characters.
 * Pure.
 */

export interface ChartWeek {
  /** "23 Mar": the week's first day, local. */
  label: string;
  total: number;
  bad: number;
}

/** The tallest bar, in pixels. */
export const CHART_HEIGHT_PX = 80;
const BAR_WIDTH_PX = 26;
/** Wide enough for a day's label ("23 Mar") under its bar. */
const COLUMN_WIDTH_PX = 38;
/** A part of a bar is never thinner than this, so one bad item among many still shows. */
const MIN_PART_PX = 2;
const TEXT_BAR_CHARS = 20;

export const BAD_COLOUR = '#c0392b';
export const OTHER_COLOUR = '#8fa9c4';
const EMPTY_COLOUR = '#dddddd';

/** Pixel heights of a week's two parts, against the busiest week of the chart. */
export function barParts(week: ChartWeek, busiest: number): { bad: number; other: number } {
  if (busiest === 0 || week.total === 0) return { bad: 0, other: 0 };
  const scaled = (count: number) => (count === 0 ? 0 : Math.max(MIN_PART_PX, Math.round((count / busiest) * CHART_HEIGHT_PX)));
  const bad = scaled(week.bad);
  const other = week.total === week.bad ? 0 : Math.max(MIN_PART_PX, scaled(week.total) - bad);
  return { bad, other };
}

function part(heightPx: number, colour: string): string {
  if (heightPx === 0) return '';
  // font-size and line-height 0: the cell is as tall as its height says, not as a line of text.
  return `<tr><td height="${heightPx}" bgcolor="${colour}" style="height:${heightPx}px;background-color:${colour};font-size:0;line-height:0">&nbsp;</td></tr>`;
}

/** The chart as an email-safe table: one column per week, its number above its bar, its day below. */
export function chartHtml(weeks: readonly ChartWeek[]): string {
  const busiest = Math.max(0, ...weeks.map((week) => week.total));
  const bars = weeks.map((week) => {
    const { bad, other } = barParts(week, busiest);
    // An empty week keeps a hairline, so the gap reads as "none" rather than a missing week.
    const bar = week.total === 0 ? part(1, EMPTY_COLOUR) : `${part(other, OTHER_COLOUR)}${part(bad, BAD_COLOUR)}`;
    return `<td valign="bottom" align="center" width="${COLUMN_WIDTH_PX}" style="width:${COLUMN_WIDTH_PX}px;height:${CHART_HEIGHT_PX + 14}px;vertical-align:bottom;text-align:center;border-bottom:1px solid #cccccc"><table role="presentation" align="center" cellpadding="0" cellspacing="0" border="0" width="${BAR_WIDTH_PX}" style="width:${BAR_WIDTH_PX}px;margin:0 auto;border-collapse:collapse"><tr><td align="center" style="font-size:11px;line-height:14px;color:#555555;text-align:center">${week.total}</td></tr>${bar}</table></td>`;
  });
  const labels = weeks.map(
    (week) => `<td align="center" style="text-align:center;font-size:10px;line-height:12px;color:#777777;padding-top:4px;white-space:nowrap">${escapeHtml(week.label)}</td>`,
  );
  // One table, so each day sits under its own bar whatever the client's widths.
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse"><tr>${bars.join('')}</tr><tr>${labels.join('')}</tr></table>`;
}

/** The same chart in characters, one line per week: "23 Mar  ██████ 12 (3 bad)". */
export function chartText(weeks: readonly ChartWeek[]): string[] {
  const busiest = Math.max(0, ...weeks.map((week) => week.total));
  const width = Math.max(0, ...weeks.map((week) => week.label.length));
  return weeks.map((week) => {
    const chars = week.total === 0 ? 0 : Math.max(1, Math.round((week.total / busiest) * TEXT_BAR_CHARS));
    const bad = week.bad > 0 ? ` (${week.bad} bad)` : '';
    return `${week.label.padEnd(width)}  ${'█'.repeat(chars)}${chars > 0 ? ' ' : ''}${week.total}${bad}`;
  });
}
