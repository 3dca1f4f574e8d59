import { ReplyRefused, replyLength, type ReplyLimits } from './reply-contract.ts';

const UNIT_WORDS: Record<ReplyLimits['unit'], string> = {
  bytes: 'bytes (accented letters and emoji count as several)',
  characters: 'characters',
  graphemes: 'characters',
};

/**
 * Refuses a reply longer than the platform takes, before any request: the core checks
 * the same limit when the reply is written, and a connector never lets the platform
 * cut or reject a text that was checked against another count.
 */
export function refuseTooLong(text: string, limits: ReplyLimits, platform: string): void {
  const length = replyLength(text, limits.unit);
  if (length <= limits.maxLength) return;
  throw new ReplyRefused('too_long', `The reply is ${length} ${limits.unit === 'bytes' ? 'bytes' : 'characters'} long; ${platform} takes at most ${limits.maxLength} ${UNIT_WORDS[limits.unit]}.`);
}
