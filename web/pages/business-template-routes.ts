import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ApiDeps } from '../../services/api/deps.ts';
import { isUuid } from '../../services/api/schemas/common.ts';
import { addReplyTemplate, changeReplyTemplate, InvalidReplyTemplate, removeReplyTemplate } from '../../services/replies/templates.ts';
import type { Person } from '../../services/people/sessions.ts';
import { PageError } from '../page-error.ts';
import { readTemplateText, templateInputOf, templateProblem, type TemplateText } from './business-reply-templates.ts';
import { OWNER_BUSINESS_PAGE, settingsPage } from './business-settings.ts';

type TemplateParams = { id: string; templateId: string };

/**
 * Adding, changing and deleting a business's reply templates from its settings page,
 * by the rules the API follows (services/replies/templates.ts). Owners only.
 */
export function replyTemplateRoutes(deps: ApiDeps): FastifyPluginAsync {
  /** Saved: back to the templates with a confirmation; refused: the page again with what was typed. */
  async function save(reply: FastifyReply, person: Person, businessId: string, text: TemplateText, change: () => Promise<unknown>, done: string): Promise<FastifyReply> {
    try {
      if ((await change()) === undefined) throw PageError.notFound();
    } catch (error) {
      if (!(error instanceof InvalidReplyTemplate)) throw error;
      return settingsPage(deps, reply, person, businessId, { template: { text, field: error.field, message: templateProblem(error) } });
    }
    return reply.redirect(`/businesses/${businessId}?done=${done}#reply-templates`, 303);
  }

  function templateIdOf(params: TemplateParams): string {
    if (!isUuid(params.templateId)) throw PageError.notFound();
    return params.templateId;
  }

  return async (app) => {
    app.post<{ Params: { id: string } }>('/businesses/:id/reply-templates', { config: OWNER_BUSINESS_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const { id } = request.params;
      const text = readTemplateText(request.body, null);
      return save(reply, person, id, text, () => addReplyTemplate(deps.db, person, id, templateInputOf(text)), 'template-added');
    });

    app.post<{ Params: TemplateParams }>('/businesses/:id/reply-templates/:templateId', { config: OWNER_BUSINESS_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const { id } = request.params;
      const templateId = templateIdOf(request.params);
      const text = readTemplateText(request.body, templateId);
      return save(reply, person, id, text, () => changeReplyTemplate(deps.db, person, id, templateId, templateInputOf(text)), 'template-saved');
    });

    app.post<{ Params: TemplateParams }>('/businesses/:id/reply-templates/:templateId/delete', { config: OWNER_BUSINESS_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const { id } = request.params;
      if (!(await removeReplyTemplate(deps.db, person, id, templateIdOf(request.params)))) throw PageError.notFound();
      return reply.redirect(`/businesses/${id}?done=template-deleted#reply-templates`, 303);
    });
  };
}
