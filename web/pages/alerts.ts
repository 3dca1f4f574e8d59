import type { FastifyPluginAsync } from 'fastify';
import { listBusinesses, type BusinessRecord } from '../../db/repositories/businesses.ts';
import { listUsers } from '../../db/repositories/users.ts';
import type { AlertChannelRecord } from '../../db/repositories/alert-channels.ts';
import type { AlertRuleRecord } from '../../db/repositories/alert-rules.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { listChannels, type ChannelView } from '../../services/alerts/channel-changes.ts';
import { findChannel } from '../../services/alerts/channels/registry.ts';
import { listRules } from '../../services/alerts/rules/rule-changes.ts';
import type { Person } from '../../services/people/sessions.ts';
import { html, type Html } from '../html.ts';
import { csrfField, layout, sendHtml } from '../layout.ts';
import { ruleInWords, type RuleTargets } from './alerts-rule-words.ts';
import { alertRulePages } from './alerts-rules.ts';
import { channelPages, mayChangeChannels, OWNER_PAGE } from './channel-pages.ts';

/** `/alerts`: the account's channels with their health and "Send a test", and each business's alert rules in words. */

const NOTICES: Record<string, string> = {
  'channel-added': 'Channel added. Send a test to see that it works.',
  'channel-saved': 'Channel saved.',
  'channel-deleted': 'Channel deleted.',
  'rule-added': 'Alert rule added.',
  'rule-saved': 'Alert rule saved.',
  'rule-deleted': 'Alert rule deleted.',
};

/** The outcome of "Send a test", read back from the channel's health so the error never travels in the URL. */
function testNotice(done: string | undefined, channel: AlertChannelRecord | undefined): { kind: 'ok' | 'problem'; text: string } | undefined {
  if (channel === undefined) return undefined;
  if (done === 'test-sent') return { kind: 'ok', text: `${channel.name} accepted the test message.` };
  if (done === 'test-failed') return { kind: 'problem', text: `${channel.name} did not take the test message: ${channel.health.lastError?.message ?? 'no reason given'}` };
  return undefined;
}

function timeWords(at: Date | null): string {
  return at === null ? 'never' : `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function channelCard(view: ChannelView, person: Person): Html {
  const { channel } = view;
  const { health } = channel;
  const attention = health.status === 'needs_attention';
  const actions = mayChangeChannels(person)
    ? html`<div class="row-actions">
<form method="post" action="/alerts/channels/${channel.id}/test">${csrfField(person.csrfToken)}<button type="submit" aria-label="Send a test to ${channel.name}">Send a test</button></form>
<a href="/alerts/channels/${channel.id}" aria-label="Edit ${channel.name}">Edit</a>
<a href="/alerts/channels/${channel.id}/delete" aria-label="Delete ${channel.name}">Delete</a>
</div>`
    : '';
  return html`<li class="card" id="channel-${channel.id}">
<strong>${channel.name}</strong> <span class="muted">${findChannel(channel.type)?.displayName ?? `${channel.type} (no longer supported)`}</span>
<span class="badge ${attention ? 'overdue' : 'ok'}">${attention ? 'Needs attention' : 'OK'}</span>
${attention ? html`<p>The receiver refused its settings${health.lastError ? html`: ${health.lastError.message}` : ''}. Fix them, then send a test.</p>` : ''}
${!attention && health.lastError ? html`<p class="muted">Last error (${timeWords(health.lastError.at)}): ${health.lastError.message}</p>` : ''}
<p class="muted">Last delivered: ${timeWords(health.lastSuccessAt)}</p>
${channel.quietHours === null ? '' : html`<p class="muted">Quiet ${channel.quietHours.from}–${channel.quietHours.to} (each business's time); urgent alerts still go.</p>`}
${actions}
</li>`;
}

function rulesOf(business: BusinessRecord, rules: AlertRuleRecord[], targets: RuleTargets, person: Person): Html {
  return html`<section class="card" id="business-${business.id}" aria-labelledby="rules-${business.id}">
<h3 id="rules-${business.id}">${business.name}</h3>
${
  rules.length === 0
    ? html`<p class="muted">No rule: nobody is told of this business's items.</p>`
    : html`<ul class="plain-list">${rules.map(
        (rule) => html`<li><span class="rule-words">${ruleInWords(rule, targets, business)}</span>${rule.name === '' ? '' : html` <span class="muted">(${rule.name})</span>`}
<div class="row-actions"><a href="/alerts/rules/${rule.id}" aria-label="Edit rule ${rule.name}">Edit</a>
<form method="post" action="/alerts/rules/${rule.id}/delete">${csrfField(person.csrfToken)}<button type="submit" class="danger" aria-label="Delete rule ${rule.name}">Delete</button></form></div></li>`,
      )}</ul>`
}
<p><a href="/alerts/businesses/${business.id}/rules/new">Add a rule for ${business.name}</a></p>
</section>`;
}

export function alertPages(deps: ApiDeps): FastifyPluginAsync {
  const store = { db: deps.db, credentialsKey: deps.credentialsKey, allowPrivateUrls: deps.config.allowPrivateUrls };
  return async (app) => {
    app.get<{ Querystring: { done?: string; channel?: string } }>(
      '/alerts',
      {
        config: OWNER_PAGE,
        schema: { hide: true, querystring: { type: 'object', properties: { done: { type: 'string', maxLength: 40 }, channel: { type: 'string', maxLength: 40 } } } },
      },
      async (request, reply) => {
        const person = request.person as Person;
        const [channels, businesses, users] = await Promise.all([listChannels(store, person.accountId), listBusinesses(deps.db, person), listUsers(deps.db, person.accountId)]);
        const rules = await Promise.all(businesses.map(async (business) => (await listRules(deps.db, person, business.id)) ?? []));
        const targets: RuleTargets = {
          channels: new Map(channels.map((view) => [view.channel.id, view.channel])),
          people: new Map(users.map((user) => [user.id, user])),
        };
        const { done } = request.query;
        const tested = channels.find((view) => view.channel.id === request.query.channel)?.channel;
        const notice = testNotice(done, tested) ?? (done !== undefined && NOTICES[done] ? { kind: 'ok' as const, text: NOTICES[done] } : undefined);
        const page = layout({
          title: 'Alerts',
          person,
          csrf: person.csrfToken,
          section: 'alerts',
          notice,
          body: html`<h1>Alerts</h1>
<section aria-labelledby="channels-title">
<h2 id="channels-title">Channels</h2>
${channels.length === 0 ? html`<p class="muted">No channel yet: alerts go by email to each business's alert addresses.</p>` : html`<ul class="plain-list">${channels.map((view) => channelCard(view, person))}</ul>`}
${mayChangeChannels(person) ? html`<p><a href="/alerts/channels/new">Add a channel</a></p>` : html`<p class="muted">Channels serve the whole account: an owner of the whole account adds and changes them.</p>`}
</section>
<section aria-labelledby="rules-title">
<h2 id="rules-title">Alert rules</h2>
<p class="muted">Which items each business's alerts tell, to whom and how.</p>
${businesses.map((business, index) => rulesOf(business, rules[index] ?? [], targets, person))}
</section>`,
        });
        return sendHtml(reply, page);
      },
    );

    await app.register(channelPages(deps));
    await app.register(alertRulePages(deps));
  };
}
