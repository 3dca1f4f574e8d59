import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { listBusinesses } from '../../db/repositories/businesses.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { addBusiness } from '../../services/businesses/business-changes.ts';
import { InvalidBusinessSettings } from '../../services/businesses/business-input.ts';
import type { Person } from '../../services/people/sessions.ts';
import { html } from '../html.ts';
import { csrfField, layout, sendHtml } from '../layout.ts';
import { PageError } from '../page-error.ts';
import { addressLines, businessBasicsFields, businessProblem, readBusinessText, type BusinessText } from './business-form.ts';
import { businessSettingsPage, BUSINESS_NOTICES } from './business-settings.ts';
import { replyTemplateRoutes } from './business-template-routes.ts';

const OWNER_PAGE = { page: { roles: ['owner'] as const } } as const;

/** A business is added for the whole account: an owner limited to some businesses could not see it (as with API keys). */
function mayAddBusinesses(person: Person): boolean {
  return person.businessIds === null;
}

async function businessesPage(
  deps: ApiDeps,
  reply: FastifyReply,
  person: Person,
  options: { done?: string; text?: BusinessText; problem?: { field: string; text: string } },
): Promise<FastifyReply> {
  const businesses = await listBusinesses(deps.db, person);
  const text = options.text ?? { name: '', timezone: 'UTC', alertEmails: person.email, slaHours: '' };
  const addForm = mayAddBusinesses(person)
    ? html`<section class="card" aria-labelledby="add-title">
<h2 id="add-title">Add a business</h2>
<form method="post" action="/businesses">
${csrfField(person.csrfToken)}
${businessBasicsFields(text, options.problem?.field)}
<button type="submit">Add business</button>
</form>
</section>`
    : html`<p class="muted">Your access is limited to some businesses, so you cannot add one: ask an owner of the whole account.</p>`;
  const page = layout({
    title: 'Businesses',
    person,
    csrf: person.csrfToken,
    section: 'settings',
    notice: options.problem ? { kind: 'problem', text: options.problem.text } : options.done === undefined ? undefined : BUSINESS_NOTICES[options.done],
    body: html`<h1>Businesses</h1>
${
  businesses.length === 0
    ? html`<p>No business yet.</p>`
    : html`<ul class="plain-list">${businesses.map(
        (business) => html`<li class="card"><a href="/businesses/${business.id}"><strong>${business.name}</strong></a> <span class="muted">${business.timezone} · reply within ${business.slaHours} h · ${business.alertEmails.length} alert address${business.alertEmails.length === 1 ? '' : 'es'}</span></li>`,
      )}</ul>`
}
${addForm}`,
  });
  return sendHtml(reply, page, options.problem ? 400 : 200);
}

/** The Businesses pages: the list and "add a business" here; each business's settings in business-settings.ts. */
export function businessPages(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { done?: string } }>(
      '/businesses',
      { config: OWNER_PAGE, schema: { hide: true, querystring: { type: 'object', properties: { done: { type: 'string', maxLength: 40 } } } } },
      async (request, reply) => businessesPage(deps, reply, request.person as Person, { done: request.query.done }),
    );

    app.post('/businesses', { config: OWNER_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      if (!mayAddBusinesses(person)) throw new PageError(403, 'Not for limited access', 'An owner limited to some businesses cannot add one: ask an owner of the whole account.');
      const text = readBusinessText(request.body);
      try {
        const business = await addBusiness(deps.db, person.accountId, { name: text.name, timezone: text.timezone, alertEmails: addressLines(text.alertEmails) });
        return reply.redirect(`/businesses/${business.id}?done=created`, 303);
      } catch (error) {
        if (!(error instanceof InvalidBusinessSettings)) throw error;
        return businessesPage(deps, reply, person, { text, problem: businessProblem(error, () => 0) });
      }
    });

    await app.register(businessSettingsPage(deps));
    await app.register(replyTemplateRoutes(deps));
  };
}
