import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ApiDeps } from '../../services/api/deps.ts';
import { isUuid } from '../../services/api/schemas/common.ts';
import type { Person } from '../../services/people/sessions.ts';
import { cancelReply } from '../../services/replies/cancel-reply.ts';
import { createReply } from '../../services/replies/create-reply.ts';
import { ReplyInputRefused, ReplyNotCancellable } from '../../services/replies/reply-refusals.ts';
import type { OpeningClocks } from '../../services/response-times/opening-clock.ts';
import { field } from '../form-body.ts';
import { PageError } from '../page-error.ts';
import { loadItemPage, sendItemPage } from './item-page.ts';
import type { ReplyDraft } from './reply-panel.ts';

const REPLY_PAGE = { page: { roles: ['owner', 'staff'] as const, target: 'item' as const } } as const;

/** Refusals the person fixes by changing the text are 400; the rest are the item's or the source's state (409). */
function refusalStatus(error: ReplyInputRefused): number {
  return error.field === 'text' ? 400 : 409;
}

/** The refusal's words, naming the field when there is one to fix. */
function refusalText(error: ReplyInputRefused): string {
  if (error.code === 'replaces_not_current') return `Not sent: ${error.message} Read the reply that is there now before writing over it.`;
  return error.field === 'text' ? `Your reply: ${error.message}` : error.message;
}

/**
 * Sending a reply from the item page (it waits out the undo window, then is published
 * by the replies outbox) and taking it back within the window. Owners and staff.
 */
export function replyRoutes(deps: ApiDeps, clocks: OpeningClocks): FastifyPluginAsync {
  async function pageAgain(reply: FastifyReply, person: Person, itemId: string, problem: string, status: number, draft: ReplyDraft = {}): Promise<FastifyReply> {
    const data = await loadItemPage(deps, person, itemId, clocks);
    return sendItemPage(reply, person, data, { notice: { kind: 'problem', text: problem }, draft, status });
  }

  return async (app) => {
    app.post<{ Params: { id: string } }>('/items/:id/replies', { config: REPLY_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const itemId = request.params.id;
      const text = field(request.body, 'text');
      const replacesField = field(request.body, 'replaces').trim();
      if (replacesField !== '' && !isUuid(replacesField)) throw new PageError(400, 'Not sent', 'The form was changed: open the item again and write the reply there.');
      const replaces = replacesField === '' ? null : replacesField.toLowerCase();
      try {
        const created = await createReply(
          { db: deps.db, queues: deps.queues, config: deps.config, credentialsKey: deps.credentialsKey, log: request.log },
          person,
          itemId,
          { text, replaces, author: person.actor, authorUserId: person.userId },
        );
        if (created === undefined) throw PageError.notFound();
        return reply.redirect(`/items/${itemId}?done=reply#replies`, 303);
      } catch (error) {
        if (!(error instanceof ReplyInputRefused)) throw error;
        // Stopped because a colleague's reply came first: show theirs, keep the text typed here.
        return pageAgain(reply, person, itemId, refusalText(error), refusalStatus(error), { text, ...(error.code === 'replaces_not_current' ? {} : { replaces: replaces ?? '' }) });
      }
    });

    app.post<{ Params: { id: string; replyId: string } }>('/items/:id/replies/:replyId/cancel', { config: REPLY_PAGE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const { id: itemId, replyId } = request.params;
      if (!isUuid(replyId)) throw PageError.notFound();
      try {
        if ((await cancelReply(deps.db, person, itemId, replyId)) === undefined) throw PageError.notFound();
      } catch (error) {
        if (!(error instanceof ReplyNotCancellable)) throw error;
        return pageAgain(reply, person, itemId, `Too late to undo: the reply is already ${error.status.replace('_', ' ')}.`, 409);
      }
      return reply.redirect(`/items/${itemId}?done=reply-cancelled#replies`, 303);
    });
  };
}
