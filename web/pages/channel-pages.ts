import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ApiDeps } from '../../services/api/deps.ts';
import type { IdParams } from '../../services/api/schemas/common.ts';
import { addChannel, changeChannel, removeChannel, viewChannel, type ChannelStore } from '../../services/alerts/channel-changes.ts';
import { InvalidChannelSettings } from '../../services/alerts/channel-settings.ts';
import { sendTestMessage } from '../../services/alerts/channel-test-message.ts';
import { channels, findChannel } from '../../services/alerts/channels/registry.ts';
import { createMailTransport } from '../../services/alerts/mail-transport.ts';
import type { Person } from '../../services/people/sessions.ts';
import { settingsProblem } from '../config-form-input.ts';
import { field } from '../form-body.ts';
import { html, type Html } from '../html.ts';
import { csrfField, layout, sendHtml } from '../layout.ts';
import { PageError } from '../page-error.ts';
import { channelFields, channelFormState, readChannelForm, type ChannelFormState, type ChannelSchemas } from './channel-form.ts';
import { quietHoursProblem } from './quiet-hours-fields.ts';

/**
 * Adding, changing, testing and deleting the account's alert channels, by the rules the
 * /v1/channels routes follow: channels belong to the whole account, so only an owner
 * of the whole account changes them (the API's accountWide rule).
 */

export const OWNER_PAGE = { page: { roles: ['owner'] as const } } as const;
const CHANNEL_PAGE = { page: { roles: ['owner'] as const, target: 'channel' as const } } as const;

export function mayChangeChannels(person: Person): boolean {
  return person.businessIds === null;
}

function requireWholeAccount(person: Person): void {
  if (!mayChangeChannels(person)) throw new PageError(403, 'Not for limited access', 'Channels serve the whole account: ask an owner of the whole account to change them.');
}

/** A refusal as the form field it names and a message in the form's words. */
function channelProblem(error: InvalidChannelSettings): { field: string; text: string } {
  if (error.field === 'body.name') return { field: 'name', text: `Name: ${error.message.replace(/^body\.name:?\s*/, '')}` };
  const quiet = /^body\.quietHours\.(from|to)$/.exec(error.field);
  if (quiet) return quietHoursProblem(quiet[1] as 'from' | 'to', error.message.replace(/^body\.quietHours\.(from|to)\s*/, ''));
  return settingsProblem(error.field, error.message);
}

function formPage(reply: FastifyReply, person: Person, form: { title: string; action: string; channel: ChannelSchemas; state: ChannelFormState; hidden?: Html; problem?: string }): FastifyReply {
  const page = layout({
    title: form.title,
    person,
    csrf: person.csrfToken,
    section: 'alerts',
    notice: form.problem === undefined ? undefined : { kind: 'problem', text: form.problem },
    body: html`<p><a href="/alerts">All alerts</a></p>
<h1>${form.title}</h1>
<form method="post" action="${form.action}" class="card">
${csrfField(person.csrfToken)}
${form.hidden ?? ''}
${channelFields(form.channel, form.state)}
<button type="submit">Save channel</button>
</form>`,
  });
  return sendHtml(reply, page, form.problem === undefined ? 200 : 400);
}

function typeChoice(reply: FastifyReply, person: Person): FastifyReply {
  const page = layout({
    title: 'Add a channel',
    person,
    csrf: person.csrfToken,
    section: 'alerts',
    body: html`<p><a href="/alerts">All alerts</a></p>
<h1>Add a channel</h1>
<form method="get" action="/alerts/channels/new" class="card">
<fieldset><legend>Where should alerts go?</legend>
${Object.values(channels).map(
  (channel) => html`<div class="choice"><input type="radio" id="type-${channel.type}" name="type" value="${channel.type}" required><label for="type-${channel.type}">${channel.displayName}</label></div>`,
)}
</fieldset>
<button type="submit">Continue</button>
</form>`,
  });
  return sendHtml(reply, page);
}

export function channelPages(deps: ApiDeps): FastifyPluginAsync {
  const store: ChannelStore = { db: deps.db, credentialsKey: deps.credentialsKey, allowPrivateUrls: deps.config.allowPrivateUrls };
  // Where the workers' alert emails go, so a test email goes there too (as the API's test does).
  const mailSettings = { smtpUrl: deps.config.smtpUrl, outboxDir: path.join(deps.config.dataDir, 'outbox') };

  return async (app) => {
    app.get<{ Querystring: { type?: string } }>(
      '/alerts/channels/new',
      { config: OWNER_PAGE, schema: { hide: true, querystring: { type: 'object', properties: { type: { type: 'string', maxLength: 40 } } } } },
      async (request, reply) => {
        const person = request.person as Person;
        requireWholeAccount(person);
        const channel = request.query.type === undefined ? undefined : findChannel(request.query.type);
        if (channel === undefined) return typeChoice(reply, person);
        return formPage(reply, person, {
          title: `Add a ${channel.displayName} channel`,
          action: '/alerts/channels',
          channel,
          state: { name: '', values: {}, saved: null, quietHours: { from: '', to: '' }, problemField: undefined },
          hidden: html`<input type="hidden" name="type" value="${channel.type}">`,
        });
      },
    );

    app.post('/alerts/channels', { config: OWNER_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      requireWholeAccount(person);
      const channel = findChannel(field(request.body, 'type'));
      if (channel === undefined) return reply.redirect('/alerts/channels/new', 303);
      const submitted = readChannelForm(channel, request.body);
      try {
        const added = await addChannel(store, person.accountId, {
          type: channel.type,
          name: submitted.name,
          config: submitted.config,
          credentials: submitted.credentials ?? {},
          quietHours: submitted.quietHours,
        });
        return reply.redirect(`/alerts?done=channel-added#channel-${added.channel.id}`, 303);
      } catch (error) {
        if (!(error instanceof InvalidChannelSettings)) throw error;
        const problem = channelProblem(error);
        return formPage(reply, person, {
          title: `Add a ${channel.displayName} channel`,
          action: '/alerts/channels',
          channel,
          state: { name: submitted.name, values: submitted.values, saved: null, quietHours: submitted.quietText, problemField: problem.field },
          hidden: html`<input type="hidden" name="type" value="${channel.type}">`,
          problem: problem.text,
        });
      }
    });

    app.get<{ Params: IdParams }>('/alerts/channels/:id', { config: CHANNEL_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      requireWholeAccount(person);
      const view = await viewChannel(store, person.accountId, request.params.id);
      const channel = view && findChannel(view.channel.type);
      if (view === undefined || channel === undefined) throw PageError.notFound();
      return formPage(reply, person, { title: `Edit ${view.channel.name}`, action: `/alerts/channels/${view.channel.id}`, channel, state: channelFormState(view) });
    });

    app.post<{ Params: IdParams }>('/alerts/channels/:id', { config: CHANNEL_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      requireWholeAccount(person);
      const view = await viewChannel(store, person.accountId, request.params.id);
      const channel = view && findChannel(view.channel.type);
      if (view === undefined || channel === undefined) throw PageError.notFound();
      const submitted = readChannelForm(channel, request.body);
      try {
        const changed = await changeChannel(store, person.accountId, view.channel.id, {
          name: submitted.name,
          config: submitted.config,
          ...(submitted.credentials && { credentials: submitted.credentials }),
          quietHours: submitted.quietHours,
        });
        if (changed === undefined) throw PageError.notFound();
        return reply.redirect(`/alerts?done=channel-saved#channel-${view.channel.id}`, 303);
      } catch (error) {
        if (!(error instanceof InvalidChannelSettings)) throw error;
        const problem = channelProblem(error);
        const state = { name: submitted.name, values: submitted.values, saved: view.secrets, quietHours: submitted.quietText, problemField: problem.field };
        return formPage(reply, person, { title: `Edit ${view.channel.name}`, action: `/alerts/channels/${view.channel.id}`, channel, state, problem: problem.text });
      }
    });

    app.post<{ Params: IdParams }>('/alerts/channels/:id/test', { config: CHANNEL_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      requireWholeAccount(person);
      const transport = createMailTransport(mailSettings);
      try {
        const result = await sendTestMessage({ ...store, mail: { transport, from: deps.config.alertFrom }, log: request.log }, person.accountId, request.params.id);
        if (result.outcome === 'not_found') throw PageError.notFound();
        // The outcome is read back from the channel's health on /alerts: the error never travels in the URL.
        return reply.redirect(`/alerts?done=${result.outcome === 'sent' ? 'test-sent' : 'test-failed'}&channel=${request.params.id}#channel-${request.params.id}`, 303);
      } finally {
        transport.close();
      }
    });

    app.get<{ Params: IdParams }>('/alerts/channels/:id/delete', { config: CHANNEL_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      requireWholeAccount(person);
      const view = await viewChannel(store, person.accountId, request.params.id);
      if (view === undefined) throw PageError.notFound();
      const page = layout({
        title: `Delete ${view.channel.name}`,
        person,
        csrf: person.csrfToken,
        section: 'alerts',
        body: html`<p><a href="/alerts">All alerts</a></p>
<h1>Delete the channel ${view.channel.name}?</h1>
<p>Rules sending to it stop sending, and alerts waiting to go through it are dropped. This cannot be undone.</p>
<form method="post" action="/alerts/channels/${view.channel.id}/delete">
${csrfField(person.csrfToken)}
<button type="submit" class="danger">Delete this channel</button>
</form>`,
      });
      return sendHtml(reply, page);
    });

    app.post<{ Params: IdParams }>('/alerts/channels/:id/delete', { config: CHANNEL_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      requireWholeAccount(person);
      if (!(await removeChannel(store, person.accountId, request.params.id))) throw PageError.notFound();
      return reply.redirect('/alerts?done=channel-deleted', 303);
    });
  };
}
