import type { FastifyPluginAsync } from 'fastify';
import { unsentDeliveries } from '../../../db/repositories/delivery-health.ts';
import { judgeDeliveryHealth } from '../../alerts/delivery-health.ts';
import { INBOX_ROLES } from '../access.ts';
import { authOf } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { noQuery } from '../schemas/common.ts';
import { deliveryHealthSchema, presentDeliveryHealth, type DeliveryHealthJson } from '../schemas/delivery-health.ts';
import { errorResponses } from '../schemas/error.ts';

/** Whether the caller's alert emails are leaving, so a mail outage is seen before a customer is missed. */
export function alertsHealthRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Reply: DeliveryHealthJson }>(
      '/v1/alerts/health',
      {
        config: { access: { roles: INBOX_ROLES } },
        schema: {
          summary: 'Are alert emails leaving?',
          description:
            "Unsent alerts and source notices of the businesses this key may see: how many wait, the oldest one's age, and the last error (the mail server's own words). While SMTP is down alerts wait and are retried; none is dropped, and each item's timeline shows `alert_waiting` with the reason.",
          tags: ['alerts'],
          querystring: noQuery,
          response: { 200: { ...deliveryHealthSchema, description: 'Delivery health in your scope' }, ...errorResponses(401, 403) },
        },
      },
      async (request) => presentDeliveryHealth(judgeDeliveryHealth(await unsentDeliveries(deps.db, authOf(request)))),
    );
  };
}
