import { ALERT_RULE_DELIVERIES, type AlertRuleDefinition } from '../../db/alert-rule-shape.ts';
import { connectors } from '../../connectors/registry.ts';
import { COMPLAINT_TOPICS, TOPIC_WORDS } from '../../services/analysis/sentiment/topics.ts';
import { InvalidAlertRule, type AlertRuleInput } from '../../services/alerts/rules/rule-input.ts';
import { field, fieldList } from '../form-body.ts';
import { html, type Html } from '../html.ts';
import { deliveryWords, type DigestTiming } from './alerts-rule-words.ts';

/** The form of one alert rule: when (conditions), to whom, how. Field names are the form's own; refusals are mapped back to them. */

/** What the form shows, as typed. */
export interface RuleText {
  name: string;
  ratingMax: string;
  sentiments: string[];
  topics: string[];
  sourceTypes: string[];
  kinds: string[];
  keywords: string;
  flaggedOnly: boolean;
  to: 'alertAddresses' | 'userId' | 'email' | 'channelId';
  userId: string;
  email: string;
  channelId: string;
  /** 'instant', 'daily' or 'weekly'; anything else is refused by the rule services. */
  delivery: string;
  urgent: boolean;
}

export const NEW_RULE: RuleText = {
  name: '', ratingMax: '', sentiments: [], topics: [], sourceTypes: [], kinds: [], keywords: '', flaggedOnly: true,
  to: 'alertAddresses', userId: '', email: '', channelId: '', delivery: 'instant', urgent: false,
};

export function ruleAsText(rule: AlertRuleDefinition): RuleText {
  const { conditions: when, target } = rule;
  return {
    name: rule.name,
    ratingMax: when.ratingMax === undefined ? '' : String(when.ratingMax),
    sentiments: when.sentiments ?? [],
    topics: when.topics ?? [],
    sourceTypes: when.sourceTypes ?? [],
    kinds: when.kinds ?? [],
    keywords: (when.keywords ?? []).join('\n'),
    flaggedOnly: when.flaggedOnly,
    to: 'alertAddresses' in target ? 'alertAddresses' : 'email' in target ? 'email' : 'userId' in target ? 'userId' : 'channelId',
    userId: 'userId' in target ? target.userId : '',
    email: 'email' in target ? target.email : '',
    channelId: 'channelId' in target ? target.channelId : '',
    delivery: rule.delivery,
    urgent: rule.urgent,
  };
}

const TARGETS = ['alertAddresses', 'userId', 'email', 'channelId'] as const;

export function readRuleForm(body: unknown): RuleText {
  const to = field(body, 'to');
  return {
    name: field(body, 'name'),
    ratingMax: field(body, 'ratingMax'),
    sentiments: fieldList(body, 'sentiments'),
    topics: fieldList(body, 'topics'),
    sourceTypes: fieldList(body, 'sourceTypes'),
    kinds: fieldList(body, 'kinds'),
    keywords: field(body, 'keywords'),
    flaggedOnly: field(body, 'flaggedOnly') === 'yes',
    to: (TARGETS as readonly string[]).includes(to) ? (to as RuleText['to']) : 'alertAddresses',
    userId: field(body, 'userId'),
    email: field(body, 'email'),
    channelId: field(body, 'channelId'),
    delivery: field(body, 'delivery') || 'instant',
    urgent: field(body, 'urgent') === 'yes',
  };
}

const none = <T,>(list: T[]): T[] | undefined => (list.length === 0 ? undefined : list);

/** The text as the rule services take it: an empty choice matches any. */
export function ruleInput(text: RuleText): AlertRuleInput {
  const keywords = text.keywords.split(/\r?\n/).filter((line) => line.trim() !== '');
  const rating = text.ratingMax.trim();
  return {
    ...(text.name.trim() === '' ? {} : { name: text.name }),
    when: {
      ...(rating === '' ? {} : { ratingMax: /^\d+$/.test(rating) ? Number(rating) : Number.NaN }),
      sentiments: none(text.sentiments),
      topics: none(text.topics),
      sourceTypes: none(text.sourceTypes),
      kinds: none(text.kinds),
      keywords: none(keywords),
      flaggedOnly: text.flaggedOnly,
    },
    to: { [text.to]: text.to === 'alertAddresses' ? true : text[text.to] },
    delivery: text.delivery,
    urgent: text.urgent,
  };
}

const LABELS: Record<string, string> = {
  name: 'Name', ratingMax: 'Rating at most', sentiments: 'Sentiments', topics: 'Topics', sourceTypes: 'Platforms', kinds: 'Kinds',
  keywords: 'Keywords', to: 'Send to', userId: 'Person', email: 'Email address', channelId: 'Channel', delivery: 'Delivery',
};

/** A refusal (`when.ratingMax`, `to.email`, `when.keywords[2]`) as the form field it names, in the form's words. */
export function ruleProblem(error: InvalidAlertRule): { field: string; text: string } {
  const name = /^(?:when\.|to\.)?([A-Za-z]+)/.exec(error.field)?.[1] ?? error.field;
  return { field: name, text: `${LABELS[name] ?? name}: ${error.problem}` };
}

interface Choices {
  people: ReadonlyArray<{ id: string; label: string }>;
  channels: ReadonlyArray<{ id: string; label: string }>;
  /** The business's: its digests go out at its time (set on its settings page). */
  business: DigestTiming & { id: string };
}

function deliveryChoice(value: AlertRuleDefinition['delivery'], text: RuleText, business: DigestTiming): Html {
  const words = deliveryWords(value, business);
  return html`<div class="choice"><input type="radio" id="delivery-${value}" name="delivery" value="${value}"${text.delivery === value ? html` checked` : ''}><label for="delivery-${value}">${
    value === 'instant' ? 'At once' : `In the ${words}`
  }</label></div>`;
}

function invalid(problemField: string | undefined, name: string): Html | string {
  return problemField === name ? html` aria-invalid="true"` : '';
}

function checkboxes(name: string, legend: string, options: ReadonlyArray<[string, string]>, checked: string[], problemField: string | undefined): Html {
  return html`<fieldset${invalid(problemField, name)}><legend>${legend} <span class="muted">(none ticked: any)</span></legend>
${options.map(([value, label]) => html`<div class="choice"><input type="checkbox" id="${name}-${value}" name="${name}" value="${value}"${checked.includes(value) ? html` checked` : ''}><label for="${name}-${value}">${label}</label></div>`)}
</fieldset>`;
}

function targetChoice(value: RuleText['to'], label: string, text: RuleText, control: Html | string): Html {
  return html`<div class="choice"><input type="radio" id="to-${value}" name="to" value="${value}"${text.to === value ? html` checked` : ''}><label for="to-${value}">${label}</label>${control}</div>`;
}

export function ruleFields(text: RuleText, choices: Choices, problemField: string | undefined): Html {
  const select = (name: 'userId' | 'channelId', label: string, options: Choices['people']) =>
    html`<select name="${name}" aria-label="${label}"${invalid(problemField, name)}><option value="">Choose…</option>${options.map(
      (option) => html`<option value="${option.id}"${text[name] === option.id ? html` selected` : ''}>${option.label}</option>`,
    )}</select>`;
  return html`<div class="field">
<label for="rule-name">Name <span class="muted">(optional: the rule in words otherwise)</span></label>
<input type="text" id="rule-name" name="name" value="${text.name}" maxlength="100"${invalid(problemField, 'name')}>
</div>
<fieldset><legend>When</legend>
<div class="field">
<label for="rule-ratingMax">Rating at most <span class="muted">(stars; empty: any)</span></label>
<select id="rule-ratingMax" name="ratingMax"${invalid(problemField, 'ratingMax')}><option value="">Any rating</option>${[1, 2, 3, 4, 5].map(
    (stars) => html`<option value="${stars}"${text.ratingMax === String(stars) ? html` selected` : ''}>${stars}★</option>`,
  )}</select>
</div>
${checkboxes('sentiments', 'Sentiments', [['negative', 'Negative'], ['neutral', 'Neutral'], ['positive', 'Positive'], ['unknown', 'Could not be judged']], text.sentiments, problemField)}
${checkboxes('topics', 'Topics', COMPLAINT_TOPICS.map((topic) => [topic, TOPIC_WORDS[topic]]), text.topics, problemField)}
${checkboxes('sourceTypes', 'Platforms', Object.values(connectors).map((connector) => [connector.id, connector.displayName]), text.sourceTypes, problemField)}
${checkboxes('kinds', 'Kinds', [['review', 'Reviews'], ['mention', 'Mentions']], text.kinds, problemField)}
<div class="field">
<label for="rule-keywords">Keywords <span class="muted">(one per line, whole words; empty: any)</span></label>
<textarea id="rule-keywords" name="keywords" rows="3"${invalid(problemField, 'keywords')}>${text.keywords}</textarea>
</div>
<div class="choice"><input type="checkbox" id="rule-flaggedOnly" name="flaggedOnly" value="yes"${text.flaggedOnly ? html` checked` : ''}><label for="rule-flaggedOnly">Flagged items only</label></div>
</fieldset>
<fieldset${invalid(problemField, 'to')}><legend>Send to</legend>
${targetChoice('alertAddresses', 'The alert addresses of the business', text, '')}
${targetChoice('userId', 'A person of the account', text, select('userId', 'Person', choices.people))}
${targetChoice('email', 'An email address', text, html`<input type="email" name="email" aria-label="Email address" value="${text.email}"${invalid(problemField, 'email')}>`)}
${targetChoice('channelId', 'A channel', text, choices.channels.length === 0 ? html`<span class="muted">(no channel yet)</span>` : select('channelId', 'Channel', choices.channels))}
</fieldset>
<fieldset${invalid(problemField, 'delivery')}><legend>Delivery</legend>
${ALERT_RULE_DELIVERIES.map((value) => deliveryChoice(value, text, choices.business))}
<p class="hint muted">A digest lists the items of the day (or week) in one message, in the business's time zone; its time and day are set on <a href="/businesses/${choices.business.id}">the business's settings</a>.</p>
<div class="choice"><input type="checkbox" id="rule-urgent" name="urgent" value="yes"${text.urgent ? html` checked` : ''}><label for="rule-urgent">Urgent: sent even in quiet hours</label></div>
</fieldset>`;
}
