import { describe, expect, test } from 'vitest';
import { lineChart, seriesStyle, type LineChartSpec } from '../../web/charts/line-chart.ts';

function chart(overrides: Partial<LineChartSpec> = {}): string {
  return lineChart({
    id: 'speed',
    title: 'Median time to first response, per week',
    description: 'One line per business; the table below has the same figures.',
    categories: ['2 Mar 2026', '9 Mar 2026', '16 Mar 2026'],
    series: [
      { name: 'Harbour Bistro', values: [1, 3, 2] },
      { name: 'Brasserie', values: [4, null, 6] },
    ],
    xAxisLabel: 'Week starting',
    yAxisLabel: 'Hours',
    formatValue: (value) => `${value} h`,
    emptyText: 'Nothing answered',
    ...overrides,
  }).text;
}

describe('line chart', () => {
  test('an accessible SVG that scales: role, label, title, description, viewBox and full width, no style attributes', () => {
    const svg = chart();
    expect(svg).toMatch(/^<svg class="chart" viewBox="0 0 480 \d+" width="100%" role="img" aria-label="Median time to first response, per week" aria-describedby="speed-desc"/);
    expect(svg).toContain('<title id="speed-title">Median time to first response, per week</title>');
    expect(svg).toContain('<desc id="speed-desc">One line per business; the table below has the same figures.</desc>');
    expect(svg).not.toMatch(/style=/);
    expect(svg).not.toContain('<style');
  });

  test('axes carry their titles, nice ticks from 0 past the highest value, and the category names', () => {
    const svg = chart();
    expect(svg).toContain('>Hours</text>');
    expect(svg).toContain('>Week starting</text>');
    const ticks = [...svg.matchAll(/text-anchor="end"[^>]*>([^<]+)<\/text>/g)].map((match) => match[1]);
    expect(ticks).toEqual(['0 h', '2 h', '4 h', '6 h']);
    for (const week of ['2 Mar 2026', '9 Mar 2026', '16 Mar 2026']) expect(svg).toContain(`>${week}</text>`);
  });

  test('one line per series in its own colour; a missing value breaks the line; each point names itself', () => {
    const svg = chart();
    const series = svg.split('<g class="series">').slice(1);
    expect(series).toHaveLength(2);
    expect(series[0]!.match(/<polyline /g)).toHaveLength(1);
    expect(series[0]).toContain(`stroke="${seriesStyle(0).stroke}"`);
    // Brasserie has a gap in the middle: two lone points, no line across the gap.
    expect(series[1]!.split('<g class="legend">')[0]).not.toContain('<polyline');
    expect(series[1]!.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain('<title>Brasserie, 16 Mar 2026: 6 h</title>');
    expect(seriesStyle(1).stroke).not.toBe(seriesStyle(0).stroke);
  });

  test('a legend entry per series, in the series’ colour', () => {
    const legend = chart().split('<g class="legend">')[1]!;
    expect(legend).toContain('>Harbour Bistro</text>');
    expect(legend).toContain('>Brasserie</text>');
    expect(legend).toContain(`stroke="${seriesStyle(1).stroke}"`);
  });

  test('names and words are escaped: a business called <script> is text', () => {
    const svg = chart({
      title: 'Speed <of> "answers"',
      series: [{ name: '<script>alert(1)</script> & Co', values: [1, 2, 3] }],
      categories: ['<b>1</b>', '2', '3'],
    });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>1</b>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(svg).toContain('aria-label="Speed &lt;of&gt; &quot;answers&quot;"');
  });

  test('long names are shortened in the legend, whole in its tooltip', () => {
    const name = 'The Very Long Name Of A Business That Goes On And On Forever';
    const legend = chart({ series: [{ name, values: [1, 1, 1] }] }).split('<g class="legend">')[1]!;
    expect(legend).toContain(`<title>${name}</title>`);
    expect(legend).toMatch(/>The Very Long Name Of A Business That Goes On A…<\/text>/);
  });

  test('with nothing to plot it says so, and keeps its axes', () => {
    const svg = chart({ series: [{ name: 'Quiet Café', values: [null, null, null] }] });
    expect(svg).toContain('>Nothing answered</text>');
    expect(svg).not.toContain('<circle');
    expect(svg).toContain('>Quiet Café</text>');
  });

  test('a fixed top (percent) and a single period still draw', () => {
    const svg = chart({ categories: ['Mar 2026'], series: [{ name: 'A', values: [40] }], yMax: 100, formatValue: (value) => `${value} %` });
    const ticks = [...svg.matchAll(/text-anchor="end"[^>]*>([^<]+)<\/text>/g)].map((match) => match[1]);
    expect(ticks).toEqual(['0 %', '25 %', '50 %', '75 %', '100 %']);
    expect(svg.match(/<circle /g)).toHaveLength(1);
    // Alone, the period sits in the middle of the plot (x from 70 to 466).
    expect(svg).toMatch(/<circle cx="268" /);
  });

  test('past five periods only some carry a label, the first always', () => {
    const categories = Array.from({ length: 13 }, (_, index) => `week ${index + 1}`);
    const svg = chart({ categories, series: [{ name: 'A', values: categories.map((_, index) => index) }] });
    const labels = [...svg.matchAll(/>(week \d+)<\/text>/g)].map((match) => match[1]);
    expect(labels[0]).toBe('week 1');
    expect(labels.length).toBeLessThanOrEqual(5);
    expect(svg.match(/<circle /g)).toHaveLength(13);
  });

  test('ticks may read in their own unit; the last label stays inside the drawing', () => {
    const svg = chart({ formatTick: (value) => `${value * 10} units`, categories: ['a', 'b', 'a very long last label'] });
    const ticks = [...svg.matchAll(/text-anchor="end"[^>]*>([^<]+)<\/text>/g)].map((match) => match[1]);
    expect(ticks).toEqual(['0 units', '20 units', '40 units', '60 units']);
    expect(svg).toContain('<title>Brasserie, a very long last label: 6 h</title>');
    const last = /<text x="([\d.]+)"[^>]*>a very long last label<\/text>/.exec(svg);
    expect(Number(last![1]) + ('a very long last label'.length * 12 * 0.56) / 2).toBeLessThanOrEqual(480);
  });
});
