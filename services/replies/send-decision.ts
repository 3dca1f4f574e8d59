import type { CurrentReply } from '../../connectors/reply-contract.ts';

/** What to do with a claimed reply, given the owner reply the platform shows right now. */
export type SendDecision =
  | { kind: 'publish'; replacing: CurrentReply | undefined }
  /** Our text is already there: a retry after an unknown outcome (a timeout, a crash after the post). */
  | { kind: 'already_published'; current: CurrentReply }
  /** Sending now would overwrite someone, or change a reply that is no longer there. */
  | { kind: 'stop'; reason: string; shown: CurrentReply | null };

/** Platforms re-wrap lines and trim; the words are what identify a reply. */
function sameText(a: string, b: string): boolean {
  const words = (text: string) => text.replace(/\s+/g, ' ').trim();
  return words(a) === words(b);
}

function isReply(current: CurrentReply, known: { text: string; platformReplyId: string | null }): boolean {
  if (current.platformReplyId !== null && known.platformReplyId !== null) return current.platformReplyId === known.platformReplyId;
  return sameText(current.text, known.text);
}

/**
 * No blind overwrite, and never twice: the reply is published only when the platform
 * shows no owner reply (a first reply) or still shows the reply it replaces (a change).
 * `replaced`: the Earshot reply this one changes, as it was published; null for a first reply.
 */
export function decideSend(text: string, replaced: { text: string; platformReplyId: string | null } | null, current: CurrentReply | null): SendDecision {
  if (current !== null && sameText(current.text, text)) return { kind: 'already_published', current };
  if (replaced === null) {
    if (current === null) return { kind: 'publish', replacing: undefined };
    return {
      kind: 'stop',
      reason: 'The platform already shows a reply that was not sent from Earshot (someone may have answered in the platform’s own app); it was left as it is.',
      shown: current,
    };
  }
  if (current === null) {
    return { kind: 'stop', reason: 'The reply this one was to change is no longer on the platform (it was removed there); nothing was sent.', shown: null };
  }
  if (isReply(current, replaced)) return { kind: 'publish', replacing: current };
  return { kind: 'stop', reason: 'The reply this one was to change is no longer the one the platform shows (it was changed there); it was left as it is.', shown: current };
}
