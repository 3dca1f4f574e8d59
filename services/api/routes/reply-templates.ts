import type { FastifyPluginAsync } from 'fastify';
import type { ReplyTemplateRecord } from '../../../db/repositories/reply-templates.ts';
import { listReplyTemplates } from '../../../db/repositories/reply-templates.ts';
import { findBusiness } from '../../../db/repositories/businesses.ts';
import { addReplyTemplate, InvalidReplyTemplate, PLACEHOLDERS, removeReplyTemplate, TEMPLATE_LIMITS, type TemplateInput } from '../../replies/templates.ts';
import { EVERY_ROLE, OWNER_ONLY } from '../access.ts';
import { authOf } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { invalidInput, notFound } from '../errors.ts';
import { dateTime, idParams, isUuid, noQuery, toIso, uuid, type IdParams } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';

interface TemplateJson {
  id: string;
  businessId: string;
  name: string;
  body: string;
  defaultRatings: { min: number; max: number } | null;
  createdAt: string;
  updatedAt: string;
}

interface TemplateBody {
  name: string;
  body: string;
  defaultRatings?: { min: number; max: number } | null;
}

const stars = { type: 'integer', minimum: 1, maximum: 5 } as const;
const defaultRatings = {
  anyOf: [{ type: 'object', required: ['min', 'max'], additionalProperties: false, properties: { min: stars, max: stars } }, { type: 'null' }],
  description: 'The star range (inclusive) this template is offered first for; null: no default',
} as const;

const placeholders = PLACEHOLDERS.map((name) => `{${name}}`).join(', ');

const templateSchema = {
  type: 'object',
  required: ['id', 'businessId', 'name', 'body', 'defaultRatings', 'createdAt', 'updatedAt'],
  additionalProperties: false,
  properties: {
    id: uuid,
    businessId: uuid,
    name: { type: 'string' },
    body: { type: 'string', description: `The text, with placeholders ${placeholders} filled in per item in the reply box` },
    defaultRatings,
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;

const templateBody = {
  type: 'object',
  required: ['name', 'body'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: TEMPLATE_LIMITS.name },
    body: { type: 'string', minLength: 1, maxLength: TEMPLATE_LIMITS.body, description: `Placeholders: ${placeholders}` },
    defaultRatings,
  },
  examples: [{ name: 'Sorry', body: 'Dear {first_name}, we are sorry about your visit to {business}. Please write to us so we can put it right.', defaultRatings: { min: 1, max: 2 } }],
} as const;

const templateParams = {
  type: 'object',
  required: ['id', 'templateId'],
  additionalProperties: false,
  properties: { id: { type: 'string', description: 'The business (a UUID)' }, templateId: { type: 'string', description: 'The template (a UUID)' } },
} as const;

function presentTemplate(template: ReplyTemplateRecord): TemplateJson {
  const { defaultMinRating: min, defaultMaxRating: max } = template;
  return {
    id: template.id,
    businessId: template.businessId,
    name: template.name,
    body: template.body,
    defaultRatings: min === null || max === null ? null : { min, max },
    createdAt: toIso(template.createdAt),
    updatedAt: toIso(template.updatedAt),
  };
}

function templateInput(body: TemplateBody): TemplateInput {
  return { name: body.name, body: body.body, defaultMinRating: body.defaultRatings?.min ?? null, defaultMaxRating: body.defaultRatings?.max ?? null };
}

const REQUEST_FIELD = { name: 'body.name', body: 'body.body', defaultMinRating: 'body.defaultRatings.min', defaultMaxRating: 'body.defaultRatings.max' } as const;

/** The templates' rules (services/replies/templates.ts) refused it: a 400 naming the request field. */
async function asInvalidTemplate<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (!(error instanceof InvalidReplyTemplate)) throw error;
    const field = REQUEST_FIELD[error.field];
    throw invalidInput(field, `${field} ${error.problem}`);
  }
}

/**
 * A business's reply templates: everyone who sees the business reads them (staff fill
 * them in when replying); owners add and delete them.
 */
export function replyTemplateRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: IdParams }>(
      '/v1/businesses/:id/reply-templates',
      {
        config: { access: { roles: EVERY_ROLE, target: 'business' } },
        schema: {
          summary: "List a business's reply templates",
          tags: ['replies'],
          params: idParams,
          querystring: noQuery,
          response: { 200: { type: 'object', required: ['templates'], additionalProperties: false, properties: { templates: { type: 'array', items: templateSchema } } }, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const { id } = request.params;
        if (!isUuid(id) || (await findBusiness(deps.db, auth, id)) === undefined) throw notFound('business');
        return { templates: (await listReplyTemplates(deps.db, auth, id)).map(presentTemplate) };
      },
    );

    app.post<{ Params: IdParams; Body: TemplateBody }>(
      '/v1/businesses/:id/reply-templates',
      {
        config: { access: { roles: OWNER_ONLY, target: 'business' } },
        schema: {
          summary: 'Add a reply template to a business',
          tags: ['replies'],
          params: idParams,
          querystring: noQuery,
          body: templateBody,
          response: { 201: { ...templateSchema, description: 'The template as stored' }, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const { id } = request.params;
        const template = isUuid(id) ? await asInvalidTemplate(() => addReplyTemplate(deps.db, auth, id, templateInput(request.body))) : undefined;
        if (template === undefined) throw notFound('business');
        return reply.status(201).send(presentTemplate(template));
      },
    );

    app.delete<{ Params: { id: string; templateId: string } }>(
      '/v1/businesses/:id/reply-templates/:templateId',
      {
        config: { access: { roles: OWNER_ONLY, target: 'business' } },
        schema: {
          summary: 'Delete a reply template',
          tags: ['replies'],
          params: templateParams,
          querystring: noQuery,
          response: { 204: { description: 'Deleted', type: 'null' }, ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { id, templateId } = request.params;
        const removed = isUuid(id) && isUuid(templateId) && (await removeReplyTemplate(deps.db, authOf(request), id, templateId));
        if (!removed) throw notFound('reply template');
        return reply.status(204).send();
      },
    );
  };
}
