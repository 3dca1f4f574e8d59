import type { FastifyPluginAsync } from 'fastify';
import { changeBusinessSettings } from '../../businesses/business-changes.ts';
import type { OpeningHours } from '../../response-times/opening-hours.ts';
import { authOf } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { digestSettingsSchema, openingHoursSchema, presentBusiness, type BusinessJson } from '../schemas/business.ts';
import { idParams, isUuid, noQuery, type IdParams } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';
import { asInvalidBusinessInput } from '../business-refusal.ts';

interface BusinessSettingsBody {
  name?: string;
  timezone?: string;
  openingHours?: OpeningHours | null;
  slaHours?: number;
  alertEmails?: string[];
  digest?: { time?: string; weekday?: string };
  weeklyReport?: boolean;
}

const businessSettingsBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    timezone: { type: 'string', minLength: 1, maxLength: 100, description: 'IANA time zone, e.g. Europe/Paris; opening hours are read in it' },
    openingHours: { anyOf: [openingHoursSchema, { type: 'null' }], description: 'Replaces all opening hours; null clears them' },
    slaHours: { type: 'integer', minimum: 1, maximum: 720, description: 'An unanswered item is overdue after this many hours (1–720)' },
    alertEmails: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: { type: 'string', format: 'email', maxLength: 254 },
      description: 'Who is emailed about flagged items; replaces the list, duplicates are dropped',
    },
    digest: digestSettingsSchema,
    weeklyReport: { type: 'boolean', description: 'false turns the weekly report email off' },
  },
  examples: [
    { timezone: 'Europe/Paris', slaHours: 48, openingHours: { tue: [{ open: '12:00', close: '14:30' }, { open: '19:00', close: '23:00' }] } },
    { digest: { time: '07:30', weekday: 'friday' }, weeklyReport: false },
  ],
} as const;

/**
 * The route's access rule for the central role policy (services/api/access.ts): owners,
 * and `:id` names a business. Typed loosely so this file builds with or without it.
 */
const ownerOnBusiness: object = { access: { roles: ['owner'], target: 'business' } };

/** `PATCH /v1/businesses/:id`: the settings that shape alerts, digests and response-time figures. */
export function businessSettingsRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.patch<{ Params: IdParams; Body: BusinessSettingsBody; Reply: BusinessJson }>(
      '/v1/businesses/:id',
      {
        config: ownerOnBusiness,
        schema: {
          summary: 'Change a business: name, time zone, opening hours, SLA hours, alert emails, digest time and day, weekly report',
          tags: ['businesses'],
          params: idParams,
          querystring: noQuery,
          body: businessSettingsBody,
          response: { 200: { $ref: 'Business#', description: 'The business as it now is' }, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const auth = authOf(request);
        const { id } = request.params;
        const business = isUuid(id) ? await asInvalidBusinessInput(() => changeBusinessSettings(deps.db, auth, id, request.body)) : undefined;
        if (business === undefined) throw notFound('business');
        return presentBusiness(business);
      },
    );
  };
}
