import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../services/api/deps.ts';
import { OpeningClocks } from '../../services/response-times/opening-clock.ts';
import { itemActionRoutes } from './item-actions.ts';
import { loadItemPage, sendItemPage } from './item-page.ts';

/** Confirmations after an action, by the `done` the action redirects with. */
const DONE: Record<string, string> = {
  respond: 'Marked responded.',
  resolve: 'Resolved.',
  reopen: 'Reopened.',
  assign: 'Assignment saved.',
  unassign: 'Unassigned.',
  note: 'Note added.',
  're-review': 'Re-review request recorded.',
};

/** The item page (every role reads it; owners and staff act on it) and its actions. */
export function itemRoutes(deps: ApiDeps): FastifyPluginAsync {
  const clocks = new OpeningClocks();
  return async (app) => {
    app.get<{ Params: { id: string } }>(
      '/items/:id',
      { config: { page: { roles: ['owner', 'staff', 'consultant'], target: 'item' } }, schema: { hide: true } },
      async (request, reply) => {
        const person = request.person!;
        const data = await loadItemPage(deps.db, person, request.params.id, clocks);
        const done = (request.query as { done?: unknown }).done;
        const notice = typeof done === 'string' && DONE[done] !== undefined ? { kind: 'ok' as const, text: DONE[done] } : undefined;
        return sendItemPage(reply, person, data, { notice });
      },
    );
    await app.register(itemActionRoutes(deps, clocks));
  };
}
