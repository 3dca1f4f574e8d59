import type { QuietHours } from '../../services/alerts/quiet-hours.ts';
import { field } from '../form-body.ts';
import { html, type Html } from '../html.ts';

/**
 * Quiet hours in a form (a person's own on "Your account", a channel's on its form): two
 * times, both left empty for none. The times are checked by the feature that stores them.
 */

/** The two times as typed; '' when empty. */
export interface QuietHoursText {
  from: string;
  to: string;
}

export type QuietHoursEnd = keyof QuietHoursText;

const FIELD: Record<QuietHoursEnd, string> = { from: 'quietHours.from', to: 'quietHours.to' };
const LABEL: Record<QuietHoursEnd, string> = { from: 'Quiet from', to: 'Quiet until' };

export function quietHoursText(hours: QuietHours | null): QuietHoursText {
  return hours === null ? { from: '', to: '' } : { from: hours.from, to: hours.to };
}

/** The form's quiet hours: null when both times are empty; otherwise both as typed, for the feature to check. */
export function readQuietHoursForm(body: unknown): { text: QuietHoursText; hours: QuietHours | null } {
  const text = { from: field(body, FIELD.from).trim(), to: field(body, FIELD.to).trim() };
  return { text, hours: text.from === '' && text.to === '' ? null : text };
}

/** The form field a refusal about one end of the quiet hours names, and its message in the form's words. */
export function quietHoursProblem(end: QuietHoursEnd, message: string): { field: string; text: string } {
  return { field: FIELD[end], text: `${LABEL[end]}: ${message}` };
}

/** Both times, with `hint` saying whose time zone they are read in. */
export function quietHoursFields(text: QuietHoursText, hint: string, problemField: string | undefined): Html {
  const input = (end: QuietHoursEnd) => {
    const invalid = problemField === FIELD[end] ? html` aria-invalid="true"` : '';
    return html`<div class="field">
<label for="quiet-${end}">${LABEL[end]}</label>
<input type="time" id="quiet-${end}" name="${FIELD[end]}" value="${text[end]}" aria-describedby="quiet-hours-hint"${invalid}>
</div>`;
  };
  return html`<fieldset class="quiet-hours">
<legend>Quiet hours <span class="muted">(optional)</span></legend>
<p class="hint muted" id="quiet-hours-hint">${hint}</p>
${input('from')}
${input('to')}
</fieldset>`;
}
