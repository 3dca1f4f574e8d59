import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../services/api/deps.ts';
import type { IdParams } from '../../services/api/schemas/common.ts';
import type { Person } from '../../services/people/sessions.ts';
import { pollSourceNow } from '../../services/sources/request-poll.ts';
import { changeSource } from '../../services/sources/source-changes.ts';
import { InvalidSourceSettings } from '../../services/sources/source-settings.ts';
import { field } from '../form-body.ts';
import { PageError } from '../page-error.ts';
import { backTo, OWNER_SOURCE_PAGE, sourceStoreOf } from './source-parts.ts';

/** The buttons on each source: pause, resume and poll now, as `PATCH` and `POST /v1/sources/:id/poll` do them. */
export function sourceActionRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (app) => {
    for (const [action, paused] of [
      ['pause', true],
      ['resume', false],
    ] as const) {
      app.post<{ Params: IdParams }>(`/sources/:id/${action}`, { config: OWNER_SOURCE_PAGE, schema: { hide: true } }, async (request, reply) => {
        const { id } = request.params;
        const changed = await changeSource(sourceStoreOf(deps), request.person as Person, id, { paused }).catch((error: unknown) => {
          if (error instanceof InvalidSourceSettings) throw new PageError(409, 'This source cannot be changed', error.message);
          throw error;
        });
        if (changed === undefined) throw PageError.notFound();
        return reply.redirect(`${backTo(field(request.body, 'back'), id)}?done=${paused ? 'paused' : 'resumed'}`, 303);
      });
    }

    app.post<{ Params: IdParams }>('/sources/:id/poll', { config: OWNER_SOURCE_PAGE, schema: { hide: true } }, async (request, reply) => {
      const { id } = request.params;
      const poll = await pollSourceNow(deps.db, deps.queues, request.person as Person, id);
      if (poll.outcome === 'not_found') throw PageError.notFound();
      return reply.redirect(`${backTo(field(request.body, 'back'), id)}?done=${poll.outcome === 'queued' ? 'polled' : 'pushed'}`, 303);
    });
  };
}
