import type { Connector } from '../../connectors/contract.ts';
import { POLL_MINUTES } from '../../services/sources/source-changes.ts';
import { settingsFields, type SettingsText } from '../config-form.ts';
import { html, type Html } from '../html.ts';
import { csrfField } from '../layout.ts';

export interface SourceFormView {
  action: string;
  csrf: string;
  connector: Connector<any, any>;
  /** Setting values to show (never secrets). */
  text: SettingsText;
  /** The poll interval as typed or stored. */
  pollMinutes: string;
  credentialsSaved: boolean;
  problemField: string | undefined;
  /** Fields the form carries unseen (the business and type of a new source). */
  hidden: Record<string, string>;
  submitLabel: string;
}

/** A source's settings form: the connector's generated fields, then how often it is polled. */
export function sourceSettingsForm(view: SourceFormView): Html {
  const { connector } = view;
  const invalid = view.problemField === 'pollEveryMinutes' ? html` aria-invalid="true"` : '';
  const pollField = connector.capabilities.push
    ? html`<p class="muted">Nothing is polled: the sender pushes items to this source's webhook URL, signed with the secret.</p>`
    : html`<div class="field">
<label for="pollEveryMinutes">Poll every (minutes)</label>
<input type="number" id="pollEveryMinutes" name="pollEveryMinutes" min="${POLL_MINUTES.min}" max="${POLL_MINUTES.max}" step="1" required value="${view.pollMinutes}" aria-describedby="pollEveryMinutes-hint"${invalid}>
<p class="hint muted" id="pollEveryMinutes-hint">From ${POLL_MINUTES.min} to ${POLL_MINUTES.max} (a week). ${connector.displayName} is usually polled every ${connector.defaultPollMinutes} minutes.</p>
</div>`;
  return html`<form method="post" action="${view.action}" class="source-form">
${csrfField(view.csrf)}
${Object.entries(view.hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
${settingsFields(connector, { values: view.text, credentialsSaved: view.credentialsSaved, problemField: view.problemField })}
${pollField}
<button type="submit">${view.submitLabel}</button>
</form>`;
}

/** The interval as the form sends it: blank is the connector's default; anything else must be a whole number (checked by the source rules). */
export function readPollMinutes(text: string, connector: Connector<any, any>): number {
  const trimmed = text.trim();
  if (trimmed === '' || connector.capabilities.push) return connector.defaultPollMinutes;
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}
