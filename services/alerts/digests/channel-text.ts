/**
 * A digest's plain text cut to what every chat channel takes: Slack refuses a text block
 * over 3,000 characters, Teams shows about 4,000 a block, and ntfy keeps a message of up
 * to 4,096 bytes as text (anything longer becomes an attachment nobody opens). The
 * adapters clip blindly as a last resort, which would cut an item in half and lose the
 * link to the inbox; this cuts between items and says where the rest is.
 */

const MAX_CHARS = 2900;
const MAX_BYTES = 3900;

function fits(text: string): boolean {
  return text.length <= MAX_CHARS && Buffer.byteLength(text, 'utf8') <= MAX_BYTES;
}

/**
 * The text as it is when it fits; otherwise its first lines up to where an item or a
 * section starts (a line beginning "- ", or a blank line), then a line pointing to the inbox.
 */
export function fitForChannels(text: string, inboxUrl: string): string {
  if (fits(text)) return text;
  const tail = `…cut short to fit this channel: see every item in the inbox: ${inboxUrl}`;
  const lines = text.split('\n');
  for (let kept = lines.length - 1; kept > 0; kept--) {
    const next = lines[kept] as string;
    if (next !== '' && !next.startsWith('- ')) continue;
    const cut = `${lines.slice(0, kept).join('\n')}\n${tail}`;
    if (fits(cut)) return cut;
  }
  return tail;
}
