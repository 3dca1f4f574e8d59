import type { BusinessRecord } from '../../db/repositories/businesses.ts';
import { DIGEST_WEEKDAYS } from '../../services/alerts/digests/business-schedule.ts';
import { field } from '../form-body.ts';
import { html, type Html } from '../html.ts';

/**
 * When a business's digests and weekly report go out, as a form: a local time, the day
 * of the weekly ones, and whether the weekly report is sent. The business rules
 * (services/businesses/business-input.ts) check what is typed, as for `PATCH /v1/businesses/:id`.
 */

/** The form's fields as typed. */
export interface DigestText {
  time: string;
  weekday: string;
  weeklyReport: boolean;
}

/** The form field each digest setting lives in, by the name the business rules give it. */
export const DIGEST_FIELDS: Record<string, { id: string; label: string }> = {
  'digest.time': { id: 'digestTime', label: 'Digests go out at' },
  'digest.weekday': { id: 'digestWeekday', label: 'Weekly digest on' },
};

/** "Monday", as the select shows a stored "monday". */
export function weekdayName(weekday: string): string {
  return weekday.charAt(0).toUpperCase() + weekday.slice(1);
}

export function digestAsText(business: Pick<BusinessRecord, 'digestTime' | 'digestWeekday' | 'weeklyReport'>): DigestText {
  return { time: business.digestTime, weekday: business.digestWeekday, weeklyReport: business.weeklyReport };
}

export function readDigestText(body: unknown): DigestText {
  return { time: field(body, 'digestTime').trim(), weekday: field(body, 'digestWeekday'), weeklyReport: field(body, 'weeklyReport') === 'yes' };
}

function invalid(problemField: string | undefined, id: string): Html | '' {
  return problemField === id ? html` aria-invalid="true"` : '';
}

export function digestFields(text: DigestText, problemField: string | undefined): Html {
  return html`<fieldset>
<legend>Digests and weekly report</legend>
<div class="field">
<label for="digestTime">Digests go out at</label>
<input type="time" id="digestTime" name="digestTime" required value="${text.time}" aria-describedby="digestTime-hint"${invalid(problemField, 'digestTime')}>
<p class="hint muted" id="digestTime-hint">In the business's time zone: daily digests every day at this time, weekly ones on the day below.</p>
</div>
<div class="field">
<label for="digestWeekday">Weekly digest on</label>
<select id="digestWeekday" name="digestWeekday"${invalid(problemField, 'digestWeekday')}>${DIGEST_WEEKDAYS.map(
    (day) => html`<option value="${day}"${text.weekday === day ? html` selected` : ''}>${weekdayName(day)}</option>`,
  )}</select>
</div>
<div class="choice"><input type="checkbox" id="weeklyReport" name="weeklyReport" value="yes"${text.weeklyReport ? html` checked` : ''}><label for="weeklyReport">Send the weekly report</label></div>
<p class="hint muted">The week's figures by email to the owners, on the weekly digest's day and time.</p>
</fieldset>`;
}
