import type { FastifyPluginAsync } from 'fastify';
import { listBusinesses, type BusinessRecord } from '../../db/repositories/businesses.ts';
import { nextPollTimes } from '../../db/repositories/source-schedule.ts';
import { listSourcesOfBusiness } from '../../db/repositories/sources.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { presentSource, type SourceJson } from '../../services/api/schemas/source.ts';
import type { Person } from '../../services/people/sessions.ts';
import { html, type Html } from '../html.ts';
import { layout, sendHtml } from '../layout.ts';
import { healthList } from './source-health.ts';
import { noticeFor, OWNER_PAGE, sourceActions, sourceTitle, webhookUrlField } from './source-parts.ts';
import { sourceActionRoutes } from './source-actions.ts';
import { sourceDeleteRoutes } from './source-delete.ts';
import { sourceDetailRoutes } from './source-detail.ts';
import { sourceNewRoutes } from './source-new.ts';

interface BusinessSources {
  business: BusinessRecord;
  sources: SourceJson[];
}

async function sourcesByBusiness(deps: ApiDeps, person: Person): Promise<{ groups: BusinessSources[]; nextPolls: Map<string, Date> }> {
  const businesses = await listBusinesses(deps.db, person);
  const groups = await Promise.all(
    businesses.map(async (business) => ({
      business,
      sources: (await listSourcesOfBusiness(deps.db, person, business.id)).map((source) => presentSource(source, deps.config.publicUrl)),
    })),
  );
  const ids = groups.flatMap((group) => group.sources.map((source) => source.id));
  return { groups, nextPolls: await nextPollTimes(deps.db, person, ids) };
}

function sourceCard(source: SourceJson, business: BusinessRecord, nextPollAt: Date | undefined, csrf: string, now: Date): Html {
  return html`<article class="source card" id="source-${source.id}" aria-labelledby="source-${source.id}-title">
<h3 id="source-${source.id}-title"><a href="/sources/${source.id}">${sourceTitle(source)}</a></h3>
${healthList({ source, nextPollAt, timezone: business.timezone, now })}
${webhookUrlField(source)}
${sourceActions(source, csrf, '/sources', { edit: true })}
</article>`;
}

function businessSection(group: BusinessSources, nextPolls: Map<string, Date>, csrf: string, now: Date): Html {
  const { business, sources } = group;
  return html`<section class="business-sources" aria-labelledby="business-${business.id}">
<h2 id="business-${business.id}">${business.name}</h2>
${sources.length === 0 ? html`<p class="muted">No sources yet: Earshot is not watching this business anywhere.</p>` : sources.map((source) => sourceCard(source, business, nextPolls.get(source.id), csrf, now))}
<p><a class="button" href="/sources/new?business=${business.id}">Add a source to ${business.name}</a></p>
</section>`;
}

/** The Sources pages: the list here; adding, the source's own page, its buttons and deleting in source-*.ts. */
export function sourcePages(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { done?: string } }>(
      '/sources',
      { config: OWNER_PAGE, schema: { hide: true, querystring: { type: 'object', properties: { done: { type: 'string', maxLength: 40 } } } } },
      async (request, reply) => {
        const person = request.person as Person;
        const { groups, nextPolls } = await sourcesByBusiness(deps, person);
        const now = new Date();
        const page = layout({
          title: 'Sources',
          person,
          csrf: person.csrfToken,
          section: 'sources',
          notice: noticeFor(request.query.done),
          body: html`<h1>Sources</h1>
<p class="muted">Where Earshot watches each business, and whether that works.</p>
${groups.length === 0 ? html`<p>There is no business yet. <a href="/businesses">Add a business</a> first.</p>` : groups.map((group) => businessSection(group, nextPolls, person.csrfToken, now))}`,
        });
        return sendHtml(reply, page);
      },
    );

    await app.register(sourceNewRoutes(deps));
    await app.register(sourceDetailRoutes(deps));
    await app.register(sourceActionRoutes(deps));
    await app.register(sourceDeleteRoutes(deps));
  };
}
