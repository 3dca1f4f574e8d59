import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Connector } from '../../connectors/contract.ts';
import { connectors, findConnector } from '../../connectors/registry.ts';
import { findBusiness, listBusinesses, type BusinessRecord } from '../../db/repositories/businesses.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { isUuid } from '../../services/api/schemas/common.ts';
import type { Person } from '../../services/people/sessions.ts';
import { addSource } from '../../services/sources/source-changes.ts';
import { InvalidSourceSettings } from '../../services/sources/source-settings.ts';
import { readSettingsForm, settingsProblem } from '../config-form-input.ts';
import type { SettingsText } from '../config-form.ts';
import { field } from '../form-body.ts';
import { html, type Html } from '../html.ts';
import { layout, sendHtml } from '../layout.ts';
import { PageError } from '../page-error.ts';
import { readPollMinutes, sourceSettingsForm } from './source-form.ts';
import { OWNER_PAGE, sourceStoreOf } from './source-parts.ts';

/** Every connector, in the order a person scans a list: by the platform's name. */
function sourceTypes(): Connector<any, any>[] {
  return Object.values(connectors).sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Step one: which business, and which platform (a GET form, so each step has its own address). */
function typeChooser(businesses: BusinessRecord[], businessId: string | undefined, type: string | undefined): Html {
  return html`<form method="get" action="/sources/new" class="card source-type-form">
<label for="business">Business</label>
<select id="business" name="business" required>
${businesses.map((business) => html`<option value="${business.id}"${business.id === businessId ? html` selected` : ''}>${business.name}</option>`)}
</select>
<fieldset>
<legend>Platform</legend>
${sourceTypes().map(
  (connector) => html`<div class="choice">
<input type="radio" id="type-${connector.id}" name="type" value="${connector.id}" required${connector.id === type ? html` checked` : ''}>
<label for="type-${connector.id}">${connector.displayName}</label>
<span class="muted">${connector.kind === 'review' ? 'reviews' : 'mentions'}${connector.capabilities.push ? ', pushed to Earshot' : ''}</span>
</div>`,
)}
</fieldset>
<button type="submit">Continue</button>
</form>`;
}

interface SettingsStep {
  business: BusinessRecord;
  connector: Connector<any, any>;
  text: SettingsText;
  pollMinutes: string;
  problem?: { field: string; text: string };
}

function settingsStep(person: Person, step: SettingsStep): Html {
  const { business, connector } = step;
  return html`<p><a href="/sources/new?business=${business.id}">Choose another platform</a></p>
${sourceSettingsForm({
  action: '/sources/new',
  csrf: person.csrfToken,
  connector,
  text: step.text,
  pollMinutes: step.pollMinutes,
  credentialsSaved: false,
  problemField: step.problem?.field,
  hidden: { business: business.id, type: connector.id },
  submitLabel: 'Add source',
})}`;
}

function newSourcePage(reply: FastifyReply, person: Person, heading: string, body: Html, problem?: string, status = 200): FastifyReply {
  const page = layout({
    title: heading,
    person,
    csrf: person.csrfToken,
    section: 'sources',
    notice: problem === undefined ? undefined : { kind: 'problem', text: problem },
    body: html`<h1>${heading}</h1>${body}`,
  });
  return sendHtml(reply, page, status);
}

async function businessOf(deps: ApiDeps, person: Person, id: string): Promise<BusinessRecord> {
  const business = isUuid(id) ? await findBusiness(deps.db, person, id) : undefined;
  if (business === undefined) throw PageError.notFound();
  return business;
}

/** `/sources/new`: choose a business and a platform, then fill in the form generated from its settings. */
export function sourceNewRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { business?: string; type?: string } }>(
      '/sources/new',
      {
        config: OWNER_PAGE,
        schema: {
          hide: true,
          querystring: { type: 'object', properties: { business: { type: 'string', maxLength: 100 }, type: { type: 'string', maxLength: 100 } } },
        },
      },
      async (request, reply) => {
        const person = request.person as Person;
        const { business: businessId, type } = request.query;
        const connector = type === undefined ? undefined : findConnector(type);
        if (businessId !== undefined && connector !== undefined) {
          const business = await businessOf(deps, person, businessId);
          return newSourcePage(
            reply,
            person,
            `Add a ${connector.displayName} source to ${business.name}`,
            settingsStep(person, { business, connector, text: {}, pollMinutes: String(connector.defaultPollMinutes) }),
          );
        }
        const businesses = await listBusinesses(deps.db, person);
        if (businesses.length === 0) throw new PageError(409, 'No business yet', 'Sources belong to a business: add a business first (Businesses), then its sources.');
        const problem = type !== undefined && connector === undefined ? `"${type}" is not a platform Earshot can watch; choose one below.` : undefined;
        return newSourcePage(reply, person, 'Add a source', typeChooser(businesses, businessId, type), problem, problem === undefined ? 200 : 400);
      },
    );

    app.post('/sources/new', { config: OWNER_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const business = await businessOf(deps, person, field(request.body, 'business'));
      const connector = findConnector(field(request.body, 'type'));
      if (connector === undefined) {
        const businesses = await listBusinesses(deps.db, person);
        return newSourcePage(reply, person, 'Add a source', typeChooser(businesses, business.id, undefined), 'Choose a platform.', 400);
      }
      const submitted = readSettingsForm(connector, request.body);
      const pollText = field(request.body, 'pollEveryMinutes');
      try {
        const source = await addSource(sourceStoreOf(deps), person, business.id, {
          type: connector.id,
          config: submitted.config,
          credentials: submitted.credentials,
          pollEveryMinutes: readPollMinutes(pollText, connector),
        });
        if (source === undefined) throw PageError.notFound();
        return reply.redirect(`/sources?done=created#source-${source.id}`, 303);
      } catch (error) {
        if (!(error instanceof InvalidSourceSettings)) throw error;
        const problem = settingsProblem(error.field, error.message);
        return newSourcePage(
          reply,
          person,
          `Add a ${connector.displayName} source to ${business.name}`,
          settingsStep(person, { business, connector, text: submitted.text, pollMinutes: pollText, problem }),
          problem.text,
          400,
        );
      }
    });
  };
}
