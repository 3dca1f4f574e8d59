import type { FastifyPluginAsync } from 'fastify';
import { unknownOutcomes, unsentDeliveries } from '../../../db/repositories/delivery-health.ts';
import { judgeDeliveryHealth } from '../../alerts/delivery-health.ts';
import { INBOX_ROLES } from '../access.ts';
import { authOf } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { noQuery } from '../schemas/common.ts';
import { alertsHealthSchema, presentDeliveryHealth, presentUnknownOutcomes, type AlertsHealthJson } from '../schemas/delivery-health.ts';
import { errorResponses } from '../schemas/error.ts';

/** Whether the caller's alert emails are leaving, so a mail outage is seen before a customer is missed. */
export function alertsHealthRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Reply: AlertsHealthJson }>(
      '/v1/alerts/health',
      {
        config: { access: { roles: INBOX_ROLES } },
        schema: {
          summary: 'Are alert emails leaving?',
          description:
            "Unsent alerts and source notices of the businesses this key may see: how many wait, the oldest one's age, and the last error (the mail server's own words). While SMTP is down alerts wait and are retried; none is dropped, and each item's timeline shows `alert_waiting` with the reason. `unknown` lists channel sends whose outcome cannot be known, which are never resent by themselves.",
          tags: ['alerts'],
          querystring: noQuery,
          response: { 200: { ...alertsHealthSchema, description: 'Delivery health in your scope' }, ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const scope = authOf(request);
        const [unsent, unknown] = await Promise.all([unsentDeliveries(deps.db, scope), unknownOutcomes(deps.db, scope)]);
        return { ...presentDeliveryHealth(judgeDeliveryHealth(unsent)), unknown: presentUnknownOutcomes(unknown) };
      },
    );
  };
}
