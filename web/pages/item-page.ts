import type { FastifyReply } from 'fastify';
import { findBusiness } from '../../db/repositories/businesses.ts';
import { getItem } from '../../db/repositories/item-queries.ts';
import { listReReviewRequests } from '../../db/repositories/re-reviews.ts';
import { findSource } from '../../db/repositories/sources.ts';
import { listUsers } from '../../db/repositories/users.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import type { Person } from '../../services/people/sessions.ts';
import type { OpeningClocks } from '../../services/response-times/opening-clock.ts';
import { layout, sendHtml } from '../layout.ts';
import { PageError } from '../page-error.ts';
import { itemSla } from './inbox-rows.ts';
import { itemPageBody, type ItemPageData, type TypedForm } from './item-view.ts';
import { loadReplyPanel } from './reply-panel-data.ts';
import type { ReplyDraft } from './reply-panel.ts';

/** The item page's data in the person's scope; a 404 page when the item is not theirs to see. */
export async function loadItemPage(deps: ApiDeps, person: Person, itemId: string, clocks: OpeningClocks): Promise<ItemPageData> {
  const { db } = deps;
  const item = await getItem(db, person, itemId);
  if (item === undefined) throw PageError.notFound();
  const [business, source, reReviews, people] = await Promise.all([
    findBusiness(db, person, item.businessId),
    findSource(db, person, item.sourceId),
    listReReviewRequests(db, person, itemId),
    person.role === 'consultant' ? Promise.resolve([]) : listUsers(db, person.accountId),
  ]);
  if (business === undefined) throw PageError.notFound();
  const replies = await loadReplyPanel(deps, person, item, business);
  // Only people who could work on it: consultants read, and a scoped person must see its business.
  const assignable = people.filter((user) => user.role !== 'consultant' && (user.businessIds === null || user.businessIds.includes(item.businessId)));
  return {
    item,
    business,
    sourceType: source?.type ?? null,
    reReviews: reReviews ?? [],
    assignable,
    sla: itemSla(item, source?.type, business, clocks, new Date()),
    replies,
  };
}

export function sendItemPage(
  reply: FastifyReply,
  person: Person,
  data: ItemPageData,
  options: { notice?: { kind: 'ok' | 'problem'; text: string } | undefined; typed?: TypedForm; draft?: ReplyDraft; status?: number } = {},
): FastifyReply {
  const { title, body } = itemPageBody(data, person, options.typed, options.draft);
  const scripts = data.replies === undefined ? [] : ['replies.js'];
  return sendHtml(reply, layout({ title, person, csrf: person.csrfToken, section: 'inbox', notice: options.notice, scripts, body }), options.status ?? 200);
}
