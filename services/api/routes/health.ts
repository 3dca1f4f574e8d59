import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import { unsentDeliveries } from '../../../db/repositories/delivery-health.ts';
import { judgeDeliveryHealth, withoutAddresses } from '../../alerts/delivery-health.ts';
import type { ApiDeps } from '../deps.ts';
import { deliveryHealthSchema, presentDeliveryHealth, type DeliveryHealthJson } from '../schemas/delivery-health.ts';

type Probe = 'ok' | 'down';

// A dead Redis makes ioredis queue commands forever; readiness must answer regardless.
const PROBE_TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>): Promise<Probe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('probe timed out')), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

const readiness = {
  type: 'object',
  required: ['postgres', 'redis'],
  additionalProperties: false,
  properties: {
    postgres: { type: 'string', enum: ['ok', 'down'] },
    redis: { type: 'string', enum: ['ok', 'down'] },
    mail: {
      ...deliveryHealthSchema,
      description:
        'Alert delivery, for the whole instance (absent while PostgreSQL is down). A degraded mail status does not make the instance unready: ' +
        'the API and the pipeline work, alerts wait and are retried, and taking the instance out of rotation would not send one more email. ' +
        'Recipient addresses are masked in lastError; owners see their own in full on GET /v1/alerts/health.',
    },
  },
} as const;

/** Mail health, or undefined when it cannot be read in time (PostgreSQL is then reported down anyway). */
async function mailHealth(deps: ApiDeps): Promise<DeliveryHealthJson | undefined> {
  let health: DeliveryHealthJson | undefined;
  const state = await probe(async () => {
    const judged = presentDeliveryHealth(judgeDeliveryHealth(await unsentDeliveries(deps.db)));
    health = { ...judged, lastError: withoutAddresses(judged.lastError) };
  });
  return state === 'ok' ? health : undefined;
}

/** Liveness and readiness for load balancers and orchestrators; no API key needed. */
export function healthRoutes(deps: ApiDeps): FastifyPluginAsync {
  const checkRedis = deps.checkRedis ?? (() => deps.queues.connection.ping());
  return async (app) => {
    app.get(
      '/healthz',
      {
        schema: {
          summary: 'The process is up',
          tags: ['health'],
          security: [],
          response: {
            200: {
              description: 'Always ok while the process serves requests',
              type: 'object',
              required: ['status'],
              additionalProperties: false,
              properties: { status: { type: 'string', enum: ['ok'] } },
            },
          },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          summary: 'PostgreSQL and Redis are reachable; whether alert email is leaving',
          tags: ['health'],
          security: [],
          response: {
            200: { ...readiness, description: 'Ready to serve' },
            503: { ...readiness, description: 'Not ready; the down dependency is named' },
          },
        },
      },
      async (_request, reply) => {
        const [postgres, redis, mail] = await Promise.all([probe(() => sql`SELECT 1`.execute(deps.db)), probe(checkRedis), mailHealth(deps)]);
        return reply.status(postgres === 'ok' && redis === 'ok' ? 200 : 503).send({ postgres, redis, ...(postgres === 'ok' && mail && { mail }) });
      },
    );
  };
}
