import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../services/api/deps.ts';
import type { IdParams } from '../../services/api/schemas/common.ts';
import type { Person } from '../../services/people/sessions.ts';
import { deleteWatched, type DeletionCounts } from '../../services/sources/delete-watched.ts';
import { field } from '../form-body.ts';
import { html, type Html } from '../html.ts';
import { csrfField, layout, sendHtml } from '../layout.ts';
import { PageError } from '../page-error.ts';
import { sourceTypeName } from './source-health.ts';
import { OWNER_SOURCE_PAGE } from './source-parts.ts';

const COUNTED: ReadonlyArray<[keyof DeletionCounts, string]> = [
  ['items', 'reviews and mentions'],
  ['events', 'timeline events of those items'],
  ['revisions', 'earlier versions of edited items'],
  ['alertDeliveries', 'alerts and source notices, sent or waiting'],
  ['reReviewRequests', 're-review requests'],
  ['badPages', 'platform pages kept for inspection'],
  ['skippedItems', 'items set aside because they could not be stored'],
];

function whatGoes(counts: DeletionCounts): Html {
  return html`<ul>${COUNTED.map(([key, words]) => html`<li><strong>${counts[key]}</strong> ${words}</li>`)}</ul>`;
}

/**
 * Deleting a source: the page says what would go (the counts `DELETE /v1/sources/:id`
 * gives without confirmation) and the form repeats the id, as the API's `?confirm=` does.
 */
export function sourceDeleteRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: IdParams }>('/sources/:id/delete', { config: OWNER_SOURCE_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const { id } = request.params;
      const outcome = await deleteWatched(deps.db, person, { kind: 'source', id }, undefined);
      if (outcome.outcome !== 'unconfirmed') throw PageError.notFound();
      const name = sourceTypeName(outcome.name);
      const page = layout({
        title: `Delete the ${name} source`,
        person,
        csrf: person.csrfToken,
        section: 'sources',
        body: html`<p><a href="/sources/${id}">Back to the source</a></p>
<h1>Delete the ${name} source?</h1>
<p>This stops watching it and deletes everything recorded under it:</p>
${whatGoes(outcome.wouldRemove)}
<p>This cannot be undone. To stop polling but keep the items, pause the source instead.</p>
<form method="post" action="/sources/${id}/delete">
${csrfField(person.csrfToken)}
<input type="hidden" name="confirm" value="${id}">
<button type="submit" class="danger">Delete this source</button>
</form>`,
      });
      return sendHtml(reply, page);
    });

    app.post<{ Params: IdParams }>('/sources/:id/delete', { config: OWNER_SOURCE_PAGE, schema: { hide: true } }, async (request, reply) => {
      const { id } = request.params;
      const outcome = await deleteWatched(deps.db, request.person as Person, { kind: 'source', id }, field(request.body, 'confirm'));
      if (outcome.outcome === 'not_found') throw PageError.notFound();
      if (outcome.outcome === 'unconfirmed') return reply.redirect(`/sources/${id}/delete`, 303);
      return reply.redirect('/sources?done=deleted', 303);
    });
  };
}
