import type { Weekday } from '../../db/opening-hours-shape.ts';
import { BUSINESS_LIMITS, type InvalidBusinessSettings } from '../../services/businesses/business-input.ts';
import { field } from '../form-body.ts';
import { html, type Html } from '../html.ts';
import { DIGEST_FIELDS } from './business-digest-form.ts';
import { DAY_NAMES, hoursFieldId } from './business-hours-form.ts';

/** The owner-facing names of a business's settings, and the form field each lives in. */
const LABELS: Record<string, string> = {
  name: 'Name',
  timezone: 'Time zone',
  alertEmails: 'Alert addresses',
  slaHours: 'Reply within (hours)',
};

/** The text fields of a business's form, as typed. */
export interface BusinessText {
  name: string;
  timezone: string;
  alertEmails: string;
  slaHours: string;
}

export function readBusinessText(body: unknown): BusinessText {
  return { name: field(body, 'name'), timezone: field(body, 'timezone'), alertEmails: field(body, 'alertEmails'), slaHours: field(body, 'slaHours') };
}

/** Alert addresses as typed: one a line (commas also separate them). */
export function addressLines(text: string): string[] {
  return text
    .split(/[\r\n,]+/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A whole number as typed; anything else is NaN, which the business rules refuse by name. */
export function wholeNumber(text: string): number {
  return /^\s*\d{1,9}\s*$/.test(text) ? Number(text) : Number.NaN;
}

/**
 * A refusal in the form's words, and the field to mark: `openingHours.tue[0].close`
 * is the closing time of Tuesday's first row that was filled in.
 */
export function businessProblem(error: InvalidBusinessSettings, rowOf: (day: Weekday, index: number) => number): { field: string; text: string } {
  const hours = /^openingHours\.(mon|tue|wed|thu|fri|sat|sun)(?:\[(\d+)\])?(?:\.(open|close))?$/.exec(error.field);
  if (hours) {
    const day = hours[1] as Weekday;
    const row = hours[2] === undefined ? 0 : rowOf(day, Number(hours[2]));
    const where = hours[2] === undefined ? DAY_NAMES[day] : `${DAY_NAMES[day]}, row ${row + 1}`;
    return { field: hoursFieldId(day, row, hours[3] === 'close' ? 'close' : 'open'), text: `Opening hours, ${where}: ${error.problem}` };
  }
  const digest = DIGEST_FIELDS[error.field];
  if (digest) return { field: digest.id, text: `${digest.label}: ${error.problem}` };
  const name = error.field.replace(/\[\d+\]$/, '');
  return { field: name, text: `${LABELS[name] ?? name}: ${error.problem}` };
}

let zones: string[] | undefined;

/** Every IANA zone this Node knows, offered as suggestions; the business rules decide what is accepted. */
function timezoneList(): Html {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
  return html`<datalist id="timezones">${zones.map((zone) => html`<option value="${zone}"></option>`)}</datalist>`;
}

function invalid(problemField: string | undefined, name: string): Html | '' {
  return problemField === name ? html` aria-invalid="true"` : '';
}

/** Name, time zone and alert addresses: what adding a business asks for. */
export function businessBasicsFields(text: BusinessText, problemField: string | undefined): Html {
  return html`<div class="field">
<label for="name">Name</label>
<input type="text" id="name" name="name" required maxlength="${BUSINESS_LIMITS.name}" value="${text.name}"${invalid(problemField, 'name')}>
</div>
<div class="field">
<label for="timezone">Time zone</label>
<input type="text" id="timezone" name="timezone" list="timezones" required maxlength="${BUSINESS_LIMITS.timezone}" value="${text.timezone}" autocomplete="off" spellcheck="false" aria-describedby="timezone-hint"${invalid(problemField, 'timezone')}>
${timezoneList()}
<p class="hint muted" id="timezone-hint">An IANA time zone such as Europe/Paris or America/New_York: opening hours and reports are read in it.</p>
</div>
<div class="field">
<label for="alertEmails">Alert addresses</label>
<textarea id="alertEmails" name="alertEmails" rows="3" required spellcheck="false" aria-describedby="alertEmails-hint"${invalid(problemField, 'alertEmails')}>${text.alertEmails}</textarea>
<p class="hint muted" id="alertEmails-hint">Who is emailed about flagged items: one address a line, up to ${BUSINESS_LIMITS.alertEmails}.</p>
</div>`;
}

export function slaField(text: BusinessText, problemField: string | undefined): Html {
  const { min, max } = BUSINESS_LIMITS.slaHours;
  return html`<div class="field">
<label for="slaHours">Reply within (hours)</label>
<input type="number" id="slaHours" name="slaHours" min="${min}" max="${max}" step="1" required value="${text.slaHours}" aria-describedby="slaHours-hint"${invalid(problemField, 'slaHours')}>
<p class="hint muted" id="slaHours-hint">An unanswered item is overdue after this many hours (${min}–${max}).</p>
</div>`;
}
