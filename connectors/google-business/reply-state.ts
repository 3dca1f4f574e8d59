import type { PublishedReply } from '../reply-contract.ts';
import { dateOrNull, isRecord, stringOrNull } from '../payload-shape.ts';

/**
 * A ReviewReply's moderation, as Google reports it since 2026 (ReviewReplyState on the
 * reply; PolicyViolation when rejected). Read leniently: the field is documented as
 * `reviewReplyState` (PENDING, APPROVED, REJECTED), some answers call it `state`, and a
 * policy violation may come as an enum string or an object with a description. A reply
 * without a state is an older, published one.
 */
export function replyState(reply: Record<string, unknown>): Pick<PublishedReply, 'state' | 'reason'> {
  const state = stringOrNull(reply.reviewReplyState) ?? stringOrNull(reply.state);
  if (state === 'REJECTED') return { state: 'rejected', reason: violation(reply.policyViolation) };
  if (state !== null && state.startsWith('PENDING')) return { state: 'pending_moderation', reason: null };
  return { state: 'published', reason: null };
}

/** Whether Google said anything of the reply's moderation (older answers say nothing). */
export function reportsReplyState(reply: Record<string, unknown>): boolean {
  return reply.reviewReplyState !== undefined || reply.state !== undefined;
}

function violation(value: unknown): string {
  const text = isRecord(value) ? (stringOrNull(value.description) ?? stringOrNull(value.reason) ?? stringOrNull(value.type)) : stringOrNull(value);
  if (text === null) return 'Google rejected the reply under its content policy.';
  // Enum names (e.g. "OFF_TOPIC") read better as words.
  return /^[A-Z_]+$/.test(text) ? `Google rejected the reply under its content policy: ${text.toLowerCase().replaceAll('_', ' ')}.` : text;
}

/** The owner reply a review shows now, or null. */
export function currentReply(review: Record<string, unknown>): { text: string; at: Date | null; platformReplyId: null } | null {
  const reply = review.reviewReply;
  if (!isRecord(reply)) return null;
  const text = stringOrNull(reply.comment);
  return text === null ? null : { text, at: dateOrNull(reply.updateTime), platformReplyId: null };
}
