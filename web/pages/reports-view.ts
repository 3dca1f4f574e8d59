import type { ReReviewGroup } from '../../db/repositories/re-review-metrics.ts';
import type { LabelledGroup } from '../../services/response-times/group-labels.ts';
import { businessPeriodKey } from '../../services/response-times/response-time-query.ts';
import { lineChart, type LineSeries } from '../charts/line-chart.ts';
import { html, type Html } from '../html.ts';
import type { ReportBusiness, ReportData } from './reports-data.ts';
import { dayInWords, humanDuration, percent, periodAxisLabel, periodInWords } from './reports-format.ts';
import { ALL_BUSINESSES, reportSearch, type FormProblem, type ReportForm } from './reports-query.ts';

/** One figure of a business in one period, as a table cell's content. */
type Cell = (group: LabelledGroup) => Html | string;

const invalid = (problem: FormProblem | undefined, field: keyof ReportForm) =>
  problem?.field === field ? html` aria-invalid="true" aria-describedby="report-problem"` : '';

function filterForm(form: ReportForm, choices: readonly ReportBusiness[], problem: FormProblem | undefined): Html {
  const option = (value: string, label: string, current: string) =>
    html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/reports" class="report-filters" aria-label="Report filters">
<div><label for="report-business">Business</label>
<select id="report-business" name="business"${invalid(problem, 'business')}>${option(ALL_BUSINESSES, 'All businesses', form.business)}${choices.map((business) => option(business.id, business.name, form.business))}</select></div>
<div><label for="report-group">Group by</label>
<select id="report-group" name="groupBy"${invalid(problem, 'groupBy')}>${option('week', 'Week', form.groupBy)}${option('month', 'Month', form.groupBy)}${form.groupBy !== 'week' && form.groupBy !== 'month' ? option(form.groupBy, form.groupBy, form.groupBy) : ''}</select></div>
<div><label for="report-from">From</label>
<input type="date" id="report-from" name="from" value="${form.from}" required${invalid(problem, 'from')}></div>
<div><label for="report-to">To (included)</label>
<input type="date" id="report-to" name="to" value="${form.to}" required${invalid(problem, 'to')}></div>
<div class="report-check"><input type="checkbox" id="report-hours" name="businessHours" value="on"${form.businessHours ? html` checked` : ''}>
<label for="report-hours">Opening hours only</label></div>
<div><button type="submit">Show report</button></div>
</form>`;
}

function answered(group: LabelledGroup): string {
  return `${group.responded} of ${group.items} (${percent(group.respondedPct)})`;
}

function median(group: LabelledGroup): string {
  return group.responded === 0 ? 'none answered yet' : humanDuration(group.medianSeconds);
}

function totalsTable(data: ReportData): Html {
  const rows = data.businesses.map((business) => {
    const total = data.totals.get(business.id);
    if (total === undefined) return html`<tr><th scope="row">${business.name}</th><td colspan="6">No reviews in this range.</td></tr>`;
    return html`<tr><th scope="row">${business.name}</th><td>${total.items}</td><td>${answered(total)}</td><td>${median(total)}</td><td>${humanDuration(total.p90Seconds)}</td><td>${percent(total.within24hPct)}</td><td>${total.overdue}</td></tr>`;
  });
  return html`<div class="table-wrap"><table class="figures">
<caption>Each business over the whole range</caption>
<thead><tr><th scope="col">Business</th><th scope="col">Reviews</th><th scope="col">Answered</th><th scope="col">Median response</th><th scope="col">p90 response</th><th scope="col">Answered within 24 h</th><th scope="col">Overdue now</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

/** Figures per business and period, one row group per business; empty periods and businesses say so. */
function periodTable(data: ReportData, groupBy: 'week' | 'month', caption: string, columns: ReadonlyArray<{ label: string; cell: Cell }>): Html {
  const span = columns.length + 1;
  const periodWord = groupBy === 'week' ? 'week' : 'month';
  const bodies = data.businesses.map((business) => {
    if (!data.totals.has(business.id)) {
      return html`<tbody><tr><th scope="row">${business.name}</th><td colspan="${span}">No reviews in this range.</td></tr></tbody>`;
    }
    const rows = data.periods.map((period, index) => {
      const group = data.byPeriod.get(businessPeriodKey(business.id, period));
      const head = index === 0 ? html`<th scope="rowgroup" rowspan="${data.periods.length}">${business.name}</th>` : '';
      const cells = group === undefined
        ? html`<td colspan="${columns.length}">No reviews this ${periodWord}.</td>`
        : columns.map((column) => html`<td>${column.cell(group)}</td>`);
      return html`<tr>${head}<td>${periodInWords(period, groupBy)}</td>${cells}</tr>`;
    });
    return html`<tbody>${rows}</tbody>`;
  });
  return html`<details class="chart-table"><summary>The chart’s figures as a table</summary><div class="table-wrap"><table class="figures">
<caption>${caption}</caption>
<thead><tr><th scope="col">Business</th><th scope="col">${groupBy === 'week' ? 'Week of' : 'Month'}</th>${columns.map((column) => html`<th scope="col">${column.label}</th>`)}</tr></thead>
${bodies}
</table></div></details>`;
}

function seriesOf(data: ReportData, value: (group: LabelledGroup) => number | null): LineSeries[] {
  return data.businesses.map((business) => ({
    name: data.totals.has(business.id) ? business.name : `${business.name} (no reviews)`,
    values: data.periods.map((period) => {
      const group = data.byPeriod.get(businessPeriodKey(business.id, period));
      return group === undefined ? null : value(group);
    }),
  }));
}

function names(data: ReportData): string {
  return data.businesses.map((business) => business.name).join(', ');
}

function charts(data: ReportData, groupBy: 'week' | 'month', hoursWord: string): Html {
  const per = groupBy === 'week' ? 'per week' : 'per month';
  const categories = data.periods.map((period) => periodAxisLabel(period, groupBy));
  const xAxisLabel = groupBy === 'week' ? 'Week starting (Monday, UTC)' : 'Month';
  const speed = lineChart({
    id: 'chart-median',
    title: `Median time to first response, ${per}`,
    description: `One line per business (${names(data)}), ${hoursWord}; the table under the chart has the same figures.`,
    categories,
    series: seriesOf(data, (group) => (group.medianSeconds === null ? null : group.medianSeconds / 3600)),
    xAxisLabel,
    yAxisLabel: 'Median response time',
    formatValue: (hours) => humanDuration(hours * 3600),
    formatTick: (hours) => (hours > 0 && hours < 1 ? `${Math.round(hours * 60)} min` : `${hours} h`),
    emptyText: 'No answered reviews in this range',
  });
  const within = lineChart({
    id: 'chart-within-24h',
    title: `Share answered within 24 hours, ${per}`,
    description: `One line per business (${names(data)}), as a percentage of all reviews of the ${groupBy}; the table under the chart has the same figures.`,
    categories,
    series: seriesOf(data, (group) => group.within24hPct),
    xAxisLabel,
    yAxisLabel: 'Answered within 24 h',
    formatValue: (value) => `${value} %`,
    yMax: 100,
    emptyText: 'No reviews in this range',
  });
  return html`<section class="report-chart" aria-labelledby="speed-heading">
<h3 id="speed-heading">How fast reviews are answered</h3>
<figure>${speed}</figure>
${periodTable(data, groupBy, `Median and p90 time to first response, ${per}`, [
    { label: 'Reviews', cell: (group) => String(group.items) },
    { label: 'Median response', cell: median },
    { label: 'p90 response', cell: (group) => humanDuration(group.p90Seconds) },
  ])}
</section>
<section class="report-chart" aria-labelledby="share-heading">
<h3 id="share-heading">How many are answered</h3>
<figure>${within}</figure>
${periodTable(data, groupBy, `Answered, answered within 24 hours and overdue, ${per}`, [
    { label: 'Answered', cell: answered },
    { label: 'Answered within 24 h', cell: (group) => percent(group.within24hPct) },
    { label: 'Overdue now', cell: (group) => String(group.overdue) },
  ])}
</section>`;
}

function starChange(group: ReReviewGroup): string {
  if (group.averageRatingChange === null) return '—';
  const rounded = Math.round(group.averageRatingChange * 10) / 10;
  return `${rounded > 0 ? '+' : ''}${rounded} stars`;
}

function reReviewTable(data: ReportData): Html {
  const rows = data.businesses.map((business) => {
    const group = data.reReviews.get(business.id);
    if (group === undefined) return html`<tr><th scope="row">${business.name}</th><td colspan="5">No re-review requests in this range.</td></tr>`;
    return html`<tr><th scope="row">${business.name}</th><td>${group.requested}</td><td>${group.revised}</td><td>${group.improved}</td><td>${starChange(group)}</td><td>${group.pending}</td></tr>`;
  });
  return html`<div class="table-wrap"><table class="figures">
<caption>Requests made in the range, with their outcome as it stands today</caption>
<thead><tr><th scope="col">Business</th><th scope="col">Requested</th><th scope="col">Revised</th><th scope="col">Improved</th><th scope="col">Average star change</th><th scope="col">Still waiting</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

function unrepliableNote(data: ReportData): Html | string {
  const { items } = data.unrepliable;
  if (items === 0) return '';
  return html`<p class="muted">${items === 1 ? '1 item' : `${items} items`} from sources nobody can reply to (news and blog feeds) are left out of these figures.</p>`;
}

function figures(form: ReportForm, data: ReportData, groupBy: 'week' | 'month'): Html {
  if (data.businesses.length === 0) return html`<p>There are no businesses you can see yet, so there is nothing to report.</p>`;
  const hoursWord = form.businessHours ? 'counting only opening hours' : 'counting every hour';
  return html`<p class="report-range">From ${dayInWords(form.from)} to ${dayInWords(form.to)}, both included; ${hoursWord}. Reviews count in the ${groupBy} they were published; “overdue” is as of now.</p>
<p><a class="button secondary" href="/reports/response-times.csv?${reportSearch(form)}" download>Download the figures per ${groupBy} as CSV</a></p>
<section aria-labelledby="response-heading">
<h2 id="response-heading">Response times</h2>
${totalsTable(data)}
${unrepliableNote(data)}
<div class="report-charts">${charts(data, groupBy, hoursWord)}</div>
</section>
<section aria-labelledby="re-review-heading">
<h2 id="re-review-heading">Re-review outcomes</h2>
${reReviewTable(data)}
</section>`;
}

/** The page's content: the filter form, then the figures — or, after a mistake in the form, the form and what is wrong. */
export function reportsBody(options: { form: ReportForm; choices: readonly ReportBusiness[]; problem?: FormProblem; data?: ReportData; groupBy?: 'week' | 'month' }): Html {
  const { form, choices, problem, data, groupBy } = options;
  return html`<h1>Reports</h1>
${problem ? html`<p class="notice problem" id="report-problem" role="alert">${problem.message}</p>` : ''}
${filterForm(form, choices, problem)}
${data !== undefined && groupBy !== undefined ? figures(form, data, groupBy) : ''}`;
}
