import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../../services/api/deps.ts';
import { OpeningClocks } from '../../services/response-times/opening-clock.ts';
import { itemActionRoutes } from './item-actions.ts';
import { loadItemPage, sendItemPage } from './item-page.ts';
import { replyRoutes } from './reply-actions.ts';

/** Confirmations after an action, by the `done` the action redirects with. */
const DONE: Record<string, string> = {
  respond: 'Marked responded.',
  resolve: 'Resolved.',
  reopen: 'Reopened.',
  assign: 'Assignment saved.',
  unassign: 'Unassigned.',
  note: 'Note added.',
  're-review': 'Re-review request recorded.',
  reply: 'Reply scheduled: it is sent when the countdown ends, unless you undo it.',
  'reply-cancelled': 'Undone: the reply was not sent. Its text is back in the box.',
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
        const data = await loadItemPage(deps, person, request.params.id, clocks);
        const { done, template } = request.query as { done?: unknown; template?: unknown };
        const notice = typeof done === 'string' && DONE[done] !== undefined ? { kind: 'ok' as const, text: DONE[done] } : undefined;
        return sendItemPage(reply, person, data, { notice, draft: typeof template === 'string' && template !== '' ? { templateId: template } : {} });
      },
    );
    await app.register(itemActionRoutes(deps, clocks));
    await app.register(replyRoutes(deps, clocks));
  };
}
