import { WEEKDAYS, type OpeningHours, type OpeningInterval, type Weekday } from '../../db/opening-hours-shape.ts';
import { field } from '../form-body.ts';
import { html, type Html } from '../html.ts';

/**
 * Opening hours as a form: per weekday, a few rows of opening and closing times
 * (time inputs). An empty row is ignored, a day without rows is closed, and a week
 * with no hours at all means none are set (business-hours figures count every hour).
 * A time input cannot say 24:00, so a closing time of 00:00 means midnight.
 */

export const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** The API allows six intervals a day. */
const MAX_ROWS = 6;

/** The form as typed: per day, its rows of [open, close] text. */
export type HoursText = Record<Weekday, Array<{ open: string; close: string }>>;

export function hoursAsText(hours: OpeningHours | null): HoursText {
  const text = {} as HoursText;
  for (const day of WEEKDAYS) {
    text[day] = (hours?.[day] ?? []).map((interval) => ({ open: interval.open, close: interval.close === '24:00' ? '00:00' : interval.close }));
  }
  return text;
}

export function hoursFieldId(day: Weekday, row: number, end: 'open' | 'close'): string {
  return `hours-${day}-${row}-${end}`;
}

/** What was read: the hours for the business rules, or a row the person left half filled in. */
export type ReadHours =
  | { ok: true; hours: OpeningHours | null; text: HoursText; rowOf: (day: Weekday, index: number) => number }
  | { ok: false; text: HoursText; field: string; message: string };

export function readHoursForm(body: unknown): ReadHours {
  const text = {} as HoursText;
  const hours: OpeningHours = {};
  const rows: Partial<Record<Weekday, number[]>> = {};
  let problem: { field: string; message: string } | undefined;
  for (const day of WEEKDAYS) {
    text[day] = [];
    const intervals: OpeningInterval[] = [];
    for (let row = 0; row < MAX_ROWS; row++) {
      const open = field(body, hoursFieldId(day, row, 'open')).trim();
      const close = field(body, hoursFieldId(day, row, 'close')).trim();
      text[day].push({ open, close });
      if (open === '' && close === '') continue;
      if ((open === '' || close === '') && problem === undefined) {
        problem = {
          field: hoursFieldId(day, row, open === '' ? 'open' : 'close'),
          message: `Opening hours, ${DAY_NAMES[day]}, row ${row + 1}: give both the opening and the closing time, or neither`,
        };
      }
      intervals.push({ open, close: close === '00:00' ? '24:00' : close });
      (rows[day] ??= []).push(row);
    }
    while (text[day].length > 0 && text[day].at(-1)?.open === '' && text[day].at(-1)?.close === '') text[day].pop();
    if (intervals.length > 0) hours[day] = intervals;
  }
  if (problem !== undefined) return { ok: false, text, ...problem };
  const none = WEEKDAYS.every((day) => hours[day] === undefined);
  return { ok: true, hours: none ? null : hours, text, rowOf: (day, index) => rows[day]?.[index] ?? 0 };
}

function dayFields(day: Weekday, rows: Array<{ open: string; close: string }>, problemField: string | undefined): Html {
  const shown = Math.min(MAX_ROWS, Math.max(2, rows.length + 1));
  const controls = Array.from({ length: shown }, (_, row) => {
    const value = rows[row] ?? { open: '', close: '' };
    const input = (end: 'open' | 'close', label: string) => {
      const id = hoursFieldId(day, row, end);
      return html`<label for="${id}" class="visually-hidden">${DAY_NAMES[day]} row ${row + 1} ${label}</label><input type="time" id="${id}" name="${id}" value="${value[end]}"${problemField === id ? html` aria-invalid="true"` : ''}>`;
    };
    return html`<div class="hours-row">${input('open', 'opens')}<span aria-hidden="true">–</span>${input('close', 'closes')}</div>`;
  });
  return html`<fieldset class="hours-day"><legend>${DAY_NAMES[day]}</legend>${controls}</fieldset>`;
}

export function hoursFields(text: HoursText, problemField: string | undefined): Html {
  return html`<fieldset class="opening-hours" aria-describedby="hours-hint">
<legend>Opening hours</legend>
<p class="hint muted" id="hours-hint">In the business's time zone. Leave a day empty when it is closed, and every day empty to set no hours (business-hours figures then count every hour). A closing time of 00:00 means midnight; split overnight hours over two days.</p>
${WEEKDAYS.map((day) => dayFields(day, text[day], problemField))}
</fieldset>`;
}
