import type { AlertMessage } from '../contract.ts';

/** Tags ntfy shows as emoji before the title, by what the alert is about. */
const TAGS: Record<string, string> = { negative_item: 'warning', source_notice: 'information_source', test: 'white_check_mark' };
// ntfy keeps a message up to 4,096 bytes as text; anything longer becomes an attachment nobody opens.
const MESSAGE_MAX_BYTES = 4000;
const TITLE_MAX_CHARS = 200;

/**
 * The headers of an ntfy publish. HTTP header values are Latin-1 at best, so a title
 * with stars or any non-ASCII letter is sent as an RFC 2047 encoded-word, which ntfy
 * decodes (2.4.0 and later).
 */
export function ntfyHeaders(message: AlertMessage, accessToken: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    title: encodedWord(message.title.slice(0, TITLE_MAX_CHARS)),
    // A 1-star review is what an owner wants to hear about at once: "high" makes the phone buzz longer.
    priority: message.item?.rating === 1 ? 'high' : 'default',
    tags: TAGS[message.kind] ?? 'bell',
  };
  if (message.item !== undefined) headers.click = message.item.itemUrl;
  if (accessToken !== undefined) headers.authorization = `Bearer ${accessToken}`;
  return headers;
}

export function encodedWord(value: string): string {
  // Printable ASCII passes as it is; anything else (and a value that looks encoded already) is encoded.
  if (/^[\x20-\x7e]*$/.test(value) && !value.includes('=?')) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** The message body, cut on a character boundary to stay a text message. */
export function ntfyBody(message: AlertMessage): string {
  const bytes = Buffer.from(message.text, 'utf8');
  if (bytes.length <= MESSAGE_MAX_BYTES) return message.text;
  let cut = bytes.subarray(0, MESSAGE_MAX_BYTES).toString('utf8');
  // A multi-byte character split by the cut decodes as U+FFFD: drop it.
  cut = cut.replace(/\uFFFD+$/, '');
  return `${cut}…`;
}
