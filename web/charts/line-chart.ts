import { html, type Html } from '../html.ts';

/** One line: a name for the legend, and one value per category (null: nothing to plot there). */
export interface LineSeries {
  name: string;
  values: ReadonlyArray<number | null>;
}

export interface LineChartSpec {
  /** Unique on the page: the <title> and <desc> ids are made from it. */
  id: string;
  title: string;
  /** What the chart shows, for people who cannot see it; say where the same figures are as a table. */
  description: string;
  /** The x axis, in order: one name per value of every series (e.g. "2 Mar 2026"). */
  categories: readonly string[];
  series: readonly LineSeries[];
  xAxisLabel: string;
  yAxisLabel: string;
  /** A value as a person reads it, in each point's tooltip (and on the y axis unless formatTick is given). */
  formatValue: (value: number) => string;
  /** A y-axis tick, when round steps read better in one unit than formatValue would put them ("60 h", not "2 d 12 h"). */
  formatTick?: (value: number) => string;
  /** The y axis reaches at least this (e.g. 100 for a share in percent). */
  yMax?: number;
  /** Shown across the plot when no series has a single value. */
  emptyText: string;
}

/**
 * Colours that stay apart for the common colour-vision deficiencies (Okabe & Ito),
 * dark enough on white; past seven lines the dash pattern tells them apart too.
 */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#8A6100', '#3E8FB0', '#1D2329'];
const DASHES = [null, '7 4', '2 3'];

/** The line style of series `index`, so a legend drawn elsewhere can match it. */
export function seriesStyle(index: number): { stroke: string; dash: string | null } {
  return { stroke: COLOURS[index % COLOURS.length] as string, dash: DASHES[Math.floor(index / COLOURS.length) % DASHES.length] ?? null };
}

// The drawing, in viewBox units: narrow enough that text stays legible when a phone scales it down.
const WIDTH = 480;
const LEFT = 70;
const RIGHT = 14;
/** Room above the plot for the y axis's title, written level so it reads on a phone. */
const TOP = 30;
const PLOT_HEIGHT = 180;
const X_LABELS = 26;
const X_TITLE = 22;
const LEGEND_ROW = 20;
const FONT = 13;
const MAX_X_LABELS = 5;
const LEGEND_NAME_CHARS = 48;

const fixed = (value: number) => Number(value.toFixed(1));
/** About how wide a label is, so one at either end can be kept inside the drawing. */
const textWidth = (text: string, size: number) => text.length * size * 0.56;

/** 1, 2 or 5 times a power of ten: the smallest such step that splits `span` into at most `parts`. */
function niceStep(span: number, parts: number): number {
  const rough = span / parts;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const factor of [1, 2, 2.5, 5, 10]) if (factor * power >= rough) return factor * power;
  return 10 * power;
}

/** From 0 to the first step at or above `top`; toPrecision drops float dust (0.30000000000000004). */
function yTicks(top: number): number[] {
  if (!(top > 0)) return [0, 1];
  const step = niceStep(top, 4);
  const steps = Math.ceil(top / step - 1e-9);
  return Array.from({ length: steps + 1 }, (_, index) => Number((index * step).toPrecision(12)));
}

/** Which categories get a label under the axis: the first, then evenly, at most MAX_X_LABELS. */
function labelledIndexes(count: number): Set<number> {
  const step = Math.max(1, Math.ceil(count / MAX_X_LABELS));
  const indexes = new Set<number>();
  for (let index = 0; index < count; index += step) indexes.add(index);
  return indexes;
}

function shortName(name: string): string {
  return name.length > LEGEND_NAME_CHARS ? `${name.slice(0, LEGEND_NAME_CHARS - 1)}…` : name;
}

/** Runs of neighbouring values: a missing value breaks the line instead of bridging it. */
function runs(values: ReadonlyArray<number | null>): Array<Array<{ index: number; value: number }>> {
  const out: Array<Array<{ index: number; value: number }>> = [];
  let current: Array<{ index: number; value: number }> = [];
  values.forEach((value, index) => {
    if (value === null || !Number.isFinite(value)) {
      if (current.length > 0) out.push(current);
      current = [];
    } else current.push({ index, value });
  });
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * A line chart as server-rendered SVG: axes with ticks and titles, one line per series
 * (points carry a tooltip naming series, category and value), and a legend under the
 * plot. Only presentation attributes, no style attributes: the pages' CSP forbids them.
 * Scales to its container (viewBox, width 100%).
 */
export function lineChart(spec: LineChartSpec): Html {
  const count = spec.categories.length;
  const values = spec.series.flatMap((series) => series.values.filter((value): value is number => value !== null && Number.isFinite(value)));
  const ticks = yTicks(Math.max(spec.yMax ?? 0, ...values));
  const top = ticks.at(-1) ?? 1;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const bottom = TOP + PLOT_HEIGHT;
  const legendTop = bottom + X_LABELS + X_TITLE + 8;
  const height = legendTop + Math.max(1, spec.series.length) * LEGEND_ROW + 4;
  // Each category owns an equal band and is plotted at its middle, so one period still has room.
  const x = (index: number) => fixed(LEFT + ((index + 0.5) * plotWidth) / Math.max(1, count));
  const y = (value: number) => fixed(bottom - (value / top) * PLOT_HEIGHT);
  const titleId = `${spec.id}-title`;
  const descId = `${spec.id}-desc`;
  const shown = labelledIndexes(count);
  const formatTick = spec.formatTick ?? spec.formatValue;
  const labelX = (index: number, text: string) => {
    const half = textWidth(text, FONT - 1) / 2;
    return fixed(Math.max(half + 2, Math.min(WIDTH - 2 - half, x(index))));
  };

  const grid = ticks.map(
    (tick) => html`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(tick)}" y2="${y(tick)}" stroke="#d9dee3" stroke-width="1"/>
<text x="${LEFT - 6}" y="${y(tick) + 4}" text-anchor="end" font-size="${FONT - 1}" fill="#5b6670">${formatTick(tick)}</text>`,
  );
  const xLabels = spec.categories.map((category, index) =>
    shown.has(index)
      ? html`<text x="${labelX(index, category)}" y="${bottom + 18}" text-anchor="middle" font-size="${FONT - 1}" fill="#5b6670">${category}</text>`
      : '',
  );
  const lines = spec.series.map((series, index) => {
    const { stroke, dash } = seriesStyle(index);
    const dashAttribute = dash === null ? '' : html` stroke-dasharray="${dash}"`;
    return html`<g class="series">${runs(series.values).map((run) => {
      const path = run.length > 1
        ? html`<polyline points="${run.map((point) => `${x(point.index)},${y(point.value)}`).join(' ')}" fill="none" stroke="${stroke}" stroke-width="2.5" stroke-linejoin="round"${dashAttribute}/>`
        : '';
      const dots = run.map(
        (point) => html`<circle cx="${x(point.index)}" cy="${y(point.value)}" r="3.5" fill="${stroke}"><title>${series.name}, ${spec.categories[point.index] ?? ''}: ${spec.formatValue(point.value)}</title></circle>`,
      );
      return html`${path}${dots}`;
    })}</g>`;
  });
  const legend = spec.series.map((series, index) => {
    const { stroke, dash } = seriesStyle(index);
    const rowY = legendTop + index * LEGEND_ROW + LEGEND_ROW / 2;
    return html`<g><title>${series.name}</title><line x1="${LEFT}" x2="${LEFT + 28}" y1="${rowY}" y2="${rowY}" stroke="${stroke}" stroke-width="3"${dash === null ? '' : html` stroke-dasharray="${dash}"`}/>
<text x="${LEFT + 36}" y="${rowY + 4}" font-size="${FONT}" fill="#1d2329">${shortName(series.name)}</text></g>`;
  });
  const empty = values.length === 0
    ? html`<text x="${fixed(LEFT + plotWidth / 2)}" y="${fixed(TOP + PLOT_HEIGHT / 2)}" text-anchor="middle" font-size="${FONT}" fill="#5b6670">${spec.emptyText}</text>`
    : '';

  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${spec.title}" aria-describedby="${descId}" xmlns="http://www.w3.org/2000/svg">
<title id="${titleId}">${spec.title}</title>
<desc id="${descId}">${spec.description}</desc>
${grid}
<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${bottom}" y2="${bottom}" stroke="#5b6670" stroke-width="1"/>
<line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${bottom}" stroke="#5b6670" stroke-width="1"/>
<text x="4" y="${TOP - 14}" font-size="${FONT - 1}" fill="#1d2329">${spec.yAxisLabel}</text>
${xLabels}
<text x="${fixed(LEFT + plotWidth / 2)}" y="${bottom + X_LABELS + 14}" text-anchor="middle" font-size="${FONT - 1}" fill="#1d2329">${spec.xAxisLabel}</text>
${lines}
${empty}
<g class="legend">${legend}</g>
</svg>`;
}
