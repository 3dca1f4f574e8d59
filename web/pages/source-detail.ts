import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { findConnector } from '../../connectors/registry.ts';
import { findBusiness } from '../../db/repositories/businesses.ts';
import { nextPollTimes } from '../../db/repositories/source-schedule.ts';
import { findSource, findSourceSettings } from '../../db/repositories/sources.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import type { IdParams } from '../../services/api/schemas/common.ts';
import { presentSource } from '../../services/api/schemas/source.ts';
import type { Person } from '../../services/people/sessions.ts';
import { changeSource, type SourceChangeRequest } from '../../services/sources/source-changes.ts';
import { InvalidSourceSettings } from '../../services/sources/source-settings.ts';
import { configChanged, readSettingsForm, settingsProblem } from '../config-form-input.ts';
import { configAsText, type SettingsText } from '../config-form.ts';
import { field } from '../form-body.ts';
import { html } from '../html.ts';
import { layout, sendHtml } from '../layout.ts';
import { PageError } from '../page-error.ts';
import { readPollMinutes, sourceSettingsForm } from './source-form.ts';
import { healthList } from './source-health.ts';
import { noticeFor, OWNER_SOURCE_PAGE, sourceActions, sourceStoreOf, sourceTitle, webhookUrlField } from './source-parts.ts';

interface EditState {
  text: SettingsText;
  pollMinutes: string;
  problem: { field: string; text: string };
}

async function sourcePage(deps: ApiDeps, reply: FastifyReply, person: Person, id: string, options: { done?: string; edit?: EditState }): Promise<FastifyReply> {
  const record = await findSource(deps.db, person, id);
  const business = record && (await findBusiness(deps.db, person, record.businessId));
  if (record === undefined || business === undefined) throw PageError.notFound();
  const source = presentSource(record, deps.config.publicUrl);
  const settings = await findSourceSettings(deps.db, person, id);
  const nextPollAt = (await nextPollTimes(deps.db, person, [id])).get(id);
  const connector = findConnector(source.type);
  const edit = options.edit;
  const form = connector
    ? sourceSettingsForm({
        action: `/sources/${id}`,
        csrf: person.csrfToken,
        connector,
        text: edit?.text ?? configAsText(source.config),
        pollMinutes: edit?.pollMinutes ?? String(source.pollEveryMinutes),
        credentialsSaved: settings?.credentials !== null && settings?.credentials !== undefined,
        problemField: edit?.problem.field,
        hidden: {},
        submitLabel: 'Save changes',
      })
    : html`<p>This platform is no longer supported: the source can be paused or deleted, not changed.</p>`;
  const title = sourceTitle(source);
  const page = layout({
    title,
    person,
    csrf: person.csrfToken,
    section: 'sources',
    notice: edit ? { kind: 'problem', text: edit.problem.text } : noticeFor(options.done),
    body: html`<p><a href="/sources">All sources</a></p>
<h1 class="long-title">${title}</h1>
<p class="muted">Watching ${business.name}.</p>
<section aria-labelledby="health-title" class="card">
<h2 id="health-title">Health</h2>
${healthList({ source, nextPollAt, timezone: business.timezone, now: new Date() })}
${webhookUrlField(source)}
${sourceActions(source, person.csrfToken, `/sources/${id}`, { edit: false })}
</section>
<section aria-labelledby="edit-title" class="card">
<h2 id="edit-title">Settings</h2>
<p class="muted">New settings or credentials are checked at once, clear a "needs your attention" state and make the source due: that is how a fix is tried.</p>
${form}
</section>
<section aria-labelledby="delete-title" class="card">
<h2 id="delete-title">Stop watching</h2>
<p>To stop polling but keep the items, pause it. Deleting removes the source and everything recorded under it.</p>
<p><a class="button secondary" href="/sources/${id}/delete">Delete this source…</a></p>
</section>`,
  });
  return sendHtml(reply, page, edit ? 400 : 200);
}

/** `/sources/:id`: the source's health and its settings form, which saves through the same rules as `PATCH /v1/sources/:id`. */
export function sourceDetailRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: IdParams; Querystring: { done?: string } }>(
      '/sources/:id',
      {
        config: OWNER_SOURCE_PAGE,
        schema: { hide: true, querystring: { type: 'object', properties: { done: { type: 'string', maxLength: 40 } } } },
      },
      async (request, reply) => sourcePage(deps, reply, request.person as Person, request.params.id, { done: request.query.done }),
    );

    app.post<{ Params: IdParams }>('/sources/:id', { config: OWNER_SOURCE_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const { id } = request.params;
      const current = await findSource(deps.db, person, id);
      const connector = current && findConnector(current.type);
      if (current === undefined || connector === undefined) throw PageError.notFound();
      const submitted = readSettingsForm(connector, request.body);
      const pollText = field(request.body, 'pollEveryMinutes');
      const pollEveryMinutes = readPollMinutes(pollText, connector);
      // Only what the person changed: an unchanged config keeps the source's place in its feed.
      const change: SourceChangeRequest = {
        ...(configChanged(connector, submitted.text, configAsText(current.config)) ? { config: submitted.config } : {}),
        credentialUpdates: submitted.credentials,
        ...(pollEveryMinutes !== current.pollEveryMinutes && !connector.capabilities.push ? { pollEveryMinutes } : {}),
      };
      try {
        if ((await changeSource(sourceStoreOf(deps), person, id, change)) === undefined) throw PageError.notFound();
        return reply.redirect(`/sources/${id}?done=saved`, 303);
      } catch (error) {
        if (!(error instanceof InvalidSourceSettings)) throw error;
        return sourcePage(deps, reply, person, id, { edit: { text: submitted.text, pollMinutes: pollText, problem: settingsProblem(error.field, error.message) } });
      }
    });
  };
}
