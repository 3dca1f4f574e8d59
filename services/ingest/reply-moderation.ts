import type { Transaction } from 'kysely';
import type { OwnerReply } from '../../connectors/contract.ts';
import { listAcceptedReplies, setReplyModeration } from '../../db/repositories/item-replies.ts';
import type { Database } from '../../db/schema.ts';

/**
 * A reply sent from Earshot may be held for the platform's moderation (Google since 2026)
 * and approved or rejected later. The platform tells on later reads of the review, so each
 * poll that sees an owner reply with a moderation state moves the Earshot reply it is to
 * that state, in the poll's own transaction: the item page shows "published" or
 * "rejected: <the platform's reason>" instead of waiting forever.
 *
 * Which reply it is: the newest of the item's published or pending replies with the same
 * words. A reply with other words (a colleague's, or ours changed on the platform) is not
 * ours to move. Counting the reply as the item's answer is not decided here: it was done
 * once, when the platform took it (services/replies/reply-answers.ts).
 */

export interface ModerationSighting {
  itemId: string;
  reply: OwnerReply;
}

/** Platforms re-wrap lines and trim; the words identify a reply (as the sender matches it). */
function sameWords(a: string, b: string): boolean {
  const words = (text: string) => text.replace(/\s+/g, ' ').trim();
  return words(a) === words(b);
}

/** Applies what the platform now says of our replies; returns how many replies moved. */
export async function followReplyModeration(tx: Transaction<Database>, sightings: readonly ModerationSighting[]): Promise<number> {
  const reported = sightings.filter((sighting) => sighting.reply.state !== undefined);
  if (reported.length === 0) return 0;
  const accepted = await listAcceptedReplies(tx, reported.map((sighting) => sighting.itemId));
  let moved = 0;
  for (const { itemId, reply } of reported) {
    const ours = accepted.find((candidate) => candidate.itemId === itemId && sameWords(candidate.text, reply.text));
    if (ours === undefined) continue;
    const status = reply.state!;
    const reason = status === 'rejected' ? (reply.reason ?? null) : null;
    if (ours.status === status && ours.reason === reason) continue;
    if (await setReplyModeration(tx, ours.id, status, reason)) moved++;
  }
  return moved;
}
