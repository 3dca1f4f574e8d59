import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { ApiDeps } from '../deps.ts';

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
  properties: { postgres: { type: 'string', enum: ['ok', 'down'] }, redis: { type: 'string', enum: ['ok', 'down'] } },
} as const;

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
          summary: 'PostgreSQL and Redis are reachable',
          tags: ['health'],
          security: [],
          response: {
            200: { ...readiness, description: 'Ready to serve' },
            503: { ...readiness, description: 'Not ready; the down dependency is named' },
          },
        },
      },
      async (_request, reply) => {
        const [postgres, redis] = await Promise.all([probe(() => sql`SELECT 1`.execute(deps.db)), probe(checkRedis)]);
        return reply.status(postgres === 'ok' && redis === 'ok' ? 200 : 503).send({ postgres, redis });
      },
    );
  };
}
