import type { FakeItem, FakeOwnerReply, FakePlatform, FakeReplyFailure } from './adapter.ts';

/** What the adapter answers a reply write with. */
export type ReplyWrite = { failure: FakeReplyFailure } | { item: FakeItem; reply: FakeOwnerReply | null } | 'not_found';

/**
 * The bookkeeping every adapter does for a reply write (see FakeReplies in adapter.ts):
 * counts it, answers the next failure, otherwise stores `text` as the item's owner reply
 * (null: removes it) with the moderation the suite set. The adapter renders the answer.
 */
export function writeReply(platform: FakePlatform, fakeId: string, text: string | null): ReplyWrite {
  const { replies } = platform;
  replies.requests++;
  const item = platform.items.find((candidate) => candidate.id === fakeId);
  if (item === undefined) return 'not_found';
  const failure = replies.failures.shift();
  if (failure !== undefined && failure.afterStoring !== true) return { failure };
  if (text === null) {
    item.ownerReply = null;
    replies.removed.push(fakeId);
  } else {
    item.ownerReply = { text, at: new Date(), state: replies.moderation.state, reason: replies.moderation.reason };
    replies.posted.push({ itemId: fakeId, text });
  }
  return failure === undefined ? { item, reply: item.ownerReply } : { failure };
}

/** A failure as nock's reply tuple. */
export function failureReply(failure: FakeReplyFailure): [number, string, Record<string, string>] {
  return [failure.status, failure.body, failure.headers ?? {}];
}
