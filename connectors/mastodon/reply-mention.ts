/**
 * Mastodon's apps start a reply with the author's mention: without it the author is
 * not notified, and a direct reply would be seen by no one. Earshot does the same, and
 * reads its own replies back without it, so a reply reads as the person wrote it.
 */

/** Room kept for the mention: Mastodon counts it as `@username` without the server, and usernames are at most 30 characters. */
export const MENTION_ROOM = '@'.length + 30 + ' '.length;

/** `@acct text`, unless the text already mentions the author. */
export function withMention(text: string, acct: string | null): string {
  if (acct === null || text.toLowerCase().includes(`@${acct.toLowerCase()}`)) return text;
  return `@${acct} ${text}`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The text without the author's mention in front. Mastodon shows a mention as
 * `@username` (the server only in the link), so both forms are taken off.
 */
export function withoutMention(text: string, acct: string | null): string {
  if (acct === null) return text;
  const [username, server] = acct.split('@');
  const mention = new RegExp(`^@${escapeRegExp(username!)}${server === undefined ? '' : `(?:@${escapeRegExp(server)})?`}\\s+`, 'i');
  return text.replace(mention, '');
}
