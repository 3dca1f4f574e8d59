import type { ReplyTarget } from '../../connectors/reply-contract.ts';
import type { ReplySubject } from '../../db/repositories/item-replies.ts';

/** The stored item as the connector's reply functions see it. */
export function replyTarget(subject: ReplySubject): ReplyTarget {
  return { externalId: subject.externalId, url: subject.url, raw: subject.raw, publishedAt: subject.publishedAt, hasText: subject.hasText };
}
