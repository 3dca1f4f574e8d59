import { parseApiDate } from '../../services/api/api-date.ts';
import { isUuid } from '../../services/api/schemas/common.ts';

/** The report's filter form exactly as the person sent it (or as the page first offers it). */
export interface ReportForm {
  business: string;
  groupBy: string;
  from: string;
  to: string;
  businessHours: boolean;
}

/** What the page measures, once the form has been checked. */
export interface ReportRequest {
  /** null: every business the person can see. */
  businessId: string | null;
  groupBy: 'week' | 'month';
  businessHours: boolean;
  /** Midnight UTC at the start of the first day. */
  from: Date;
  /** Midnight UTC after the last day: the form's "to" day is included, the API's `to` is not. */
  toExclusive: Date;
}

/** A field of the form that cannot be used, and why, in words naming the field. */
export interface FormProblem {
  field: keyof ReportForm;
  message: string;
}

export type ReadReport =
  | { kind: 'ok'; form: ReportForm; request: ReportRequest }
  | { kind: 'invalid'; form: ReportForm; problem: FormProblem }
  /** A business id the person cannot see, or that is not an id at all: to them it does not exist. */
  | { kind: 'unknown_business'; form: ReportForm };

export const ALL_BUSINESSES = 'all';
/** "The last 90 days", today included. */
export const DEFAULT_DAYS = 90;
/** Ten years by week is about 520 columns per business: past that a page stops being readable. */
export const MAX_RANGE_DAYS = 3660;

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export type ReportQuerystring = Partial<Record<'business' | 'groupBy' | 'from' | 'to' | 'businessHours', string>>;

/** Fastify's check of the query: only sizes; the meaning is read by readReportForm so a mistake re-renders the form. */
export const reportQuerySchema = {
  type: 'object',
  properties: {
    business: { type: 'string', maxLength: 40 },
    groupBy: { type: 'string', maxLength: 20 },
    from: { type: 'string', maxLength: 40 },
    to: { type: 'string', maxLength: 40 },
    businessHours: { type: 'string', maxLength: 10 },
  },
} as const;

export const isoDay = (instant: Date): string => instant.toISOString().slice(0, 10);

function startOfUtcDay(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / DAY_MS) * DAY_MS);
}

/** The form with the page's defaults filled in for whatever was not sent: every business, by week, the last 90 days. */
export function reportForm(query: ReportQuerystring, now: Date): ReportForm {
  const today = startOfUtcDay(now);
  return {
    business: query.business ?? ALL_BUSINESSES,
    groupBy: query.groupBy ?? 'week',
    from: query.from ?? isoDay(new Date(today.getTime() - (DEFAULT_DAYS - 1) * DAY_MS)),
    to: query.to ?? isoDay(today),
    businessHours: query.businessHours === 'on' || query.businessHours === 'true',
  };
}

function day(form: ReportForm, field: 'from' | 'to', label: string): Date | FormProblem {
  const text = form[field];
  const date = DATE_ONLY.test(text) ? parseApiDate(text) : undefined;
  return date ?? { field, message: `${label}: “${form[field]}” is not a date. Use a date such as 2026-03-01.` };
}

/** Checks the filter form; every refusal names the field as the form labels it. */
export function readReportForm(query: ReportQuerystring, now: Date): ReadReport {
  const form = reportForm(query, now);
  const invalid = (problem: FormProblem): ReadReport => ({ kind: 'invalid', form, problem });
  if (form.groupBy !== 'week' && form.groupBy !== 'month') {
    return invalid({ field: 'groupBy', message: 'Group by: choose week or month.' });
  }
  const from = day(form, 'from', 'From');
  if (!(from instanceof Date)) return invalid(from);
  const to = day(form, 'to', 'To');
  if (!(to instanceof Date)) return invalid(to);
  if (to < from) return invalid({ field: 'to', message: 'To: the last day must be on or after the first day (From).' });
  if ((to.getTime() - from.getTime()) / DAY_MS + 1 > MAX_RANGE_DAYS) {
    return invalid({ field: 'from', message: 'From: a report covers at most ten years; choose a later first day.' });
  }
  if (form.business !== ALL_BUSINESSES && !isUuid(form.business)) return { kind: 'unknown_business', form };
  return {
    kind: 'ok',
    form,
    request: {
      businessId: form.business === ALL_BUSINESSES ? null : form.business,
      groupBy: form.groupBy,
      businessHours: form.businessHours,
      from,
      toExclusive: new Date(to.getTime() + DAY_MS),
    },
  };
}

/** The query string that asks for the same report (for the CSV link and links back). */
export function reportSearch(form: ReportForm): string {
  const params = new URLSearchParams({ business: form.business, groupBy: form.groupBy, from: form.from, to: form.to });
  if (form.businessHours) params.set('businessHours', 'on');
  return params.toString();
}
