import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { findBusiness } from '../../db/repositories/businesses.ts';
import { listReplyTemplates } from '../../db/repositories/reply-templates.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import type { IdParams } from '../../services/api/schemas/common.ts';
import { changeBusinessSettings } from '../../services/businesses/business-changes.ts';
import { InvalidBusinessSettings } from '../../services/businesses/business-input.ts';
import type { Person } from '../../services/people/sessions.ts';
import { html } from '../html.ts';
import { csrfField, layout, sendHtml } from '../layout.ts';
import { PageError } from '../page-error.ts';
import { digestAsText, digestFields, readDigestText, type DigestText } from './business-digest-form.ts';
import { addressLines, businessBasicsFields, businessProblem, readBusinessText, slaField, wholeNumber, type BusinessText } from './business-form.ts';
import { hoursAsText, hoursFields, readHoursForm, type HoursText } from './business-hours-form.ts';
import { replyTemplatesSection, type TemplateSubmission } from './business-reply-templates.ts';

export const OWNER_BUSINESS_PAGE = { page: { roles: ['owner'] as const, target: 'business' as const } } as const;

export const BUSINESS_NOTICES: Record<string, { kind: 'ok' | 'problem'; text: string }> = {
  created: { kind: 'ok', text: 'Business added. Set its opening hours and reply time here, then add its sources.' },
  saved: { kind: 'ok', text: 'Settings saved.' },
  'template-added': { kind: 'ok', text: 'Template added.' },
  'template-saved': { kind: 'ok', text: 'Template saved.' },
  'template-deleted': { kind: 'ok', text: 'Template deleted.' },
};

interface Submitted {
  text: BusinessText;
  hours: HoursText;
  digest: DigestText;
  problem: { field: string; text: string };
}

/** The settings page; `submitted` or `template` re-shows a refused form as typed, its problem above (400). */
export async function settingsPage(
  deps: ApiDeps,
  reply: FastifyReply,
  person: Person,
  id: string,
  options: { done?: string; submitted?: Submitted; template?: TemplateSubmission },
): Promise<FastifyReply> {
  const [business, templates] = await Promise.all([findBusiness(deps.db, person, id), listReplyTemplates(deps.db, person, id)]);
  if (business === undefined) throw PageError.notFound();
  const { submitted, template } = options;
  const problem = submitted?.problem.text ?? template?.message;
  const text = submitted?.text ?? {
    name: business.name,
    timezone: business.timezone,
    alertEmails: business.alertEmails.join('\n'),
    slaHours: String(business.slaHours),
  };
  const problemField = submitted?.problem.field;
  const page = layout({
    title: business.name,
    person,
    csrf: person.csrfToken,
    section: 'settings',
    notice: problem !== undefined ? { kind: 'problem', text: problem } : options.done === undefined ? undefined : BUSINESS_NOTICES[options.done],
    body: html`<p><a href="/businesses">All businesses</a></p>
<h1>${business.name}</h1>
<form method="post" action="/businesses/${business.id}" class="card business-form">
${csrfField(person.csrfToken)}
${businessBasicsFields(text, problemField)}
${slaField(text, problemField)}
${hoursFields(submitted?.hours ?? hoursAsText(business.openingHours), problemField)}
${digestFields(submitted?.digest ?? digestAsText(business), problemField)}
<button type="submit">Save settings</button>
</form>
${replyTemplatesSection(business.id, person.csrfToken, templates, template)}
<p><a href="/sources#business-${business.id}">Sources of ${business.name}</a></p>`,
  });
  return sendHtml(reply, page, problem !== undefined ? 400 : 200);
}

/** `/businesses/:id`: name, time zone, reply time, opening hours, alert addresses, digest time and weekly report, saved by the rules `PATCH /v1/businesses/:id` follows; and its reply templates. */
export function businessSettingsPage(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: IdParams; Querystring: { done?: string } }>(
      '/businesses/:id',
      { config: OWNER_BUSINESS_PAGE, schema: { hide: true, querystring: { type: 'object', properties: { done: { type: 'string', maxLength: 40 } } } } },
      async (request, reply) => settingsPage(deps, reply, request.person as Person, request.params.id, { done: request.query.done }),
    );

    app.post<{ Params: IdParams }>('/businesses/:id', { config: OWNER_BUSINESS_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const { id } = request.params;
      const text = readBusinessText(request.body);
      const hours = readHoursForm(request.body);
      const digest = readDigestText(request.body);
      if (!hours.ok) return settingsPage(deps, reply, person, id, { submitted: { text, hours: hours.text, digest, problem: { field: hours.field, text: hours.message } } });
      try {
        const saved = await changeBusinessSettings(deps.db, person, id, {
          name: text.name,
          timezone: text.timezone,
          slaHours: wholeNumber(text.slaHours),
          alertEmails: addressLines(text.alertEmails),
          openingHours: hours.hours,
          digest: { time: digest.time, weekday: digest.weekday },
          weeklyReport: digest.weeklyReport,
        });
        if (saved === undefined) throw PageError.notFound();
        return reply.redirect(`/businesses/${id}?done=saved`, 303);
      } catch (error) {
        if (!(error instanceof InvalidBusinessSettings)) throw error;
        return settingsPage(deps, reply, person, id, { submitted: { text, hours: hours.text, digest, problem: businessProblem(error, hours.rowOf) } });
      }
    });
  };
}
