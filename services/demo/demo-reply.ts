/**
 * The demo's answer to a bad review: the first 1★ review it flags on Google Business Profile
 * is answered once, as the demo's owner, through the same replies API staff use (which
 * schedules it with `createReply`, waits out the undo window, then publishes it once).
 * Its outcome is printed when Google has answered.
 */

export interface FlaggedItem {
  id: string;
  rating: number | null;
  author: string | null;
}

interface ReplyJson {
  id: string;
  status: string;
  reason: string | null;
  sendAt: string;
  publishedAt: string | null;
  platformReplyUrl: string | null;
}

type Api = (method: 'GET' | 'POST', route: string, body?: unknown) => Promise<any>;

// Still on its way: scheduled (undo window) or being sent.
const ON_ITS_WAY = new Set(['scheduled', 'sending']);

export interface DemoReplier {
  /** Answers a 1★ review among these (flagged on Google Business Profile), unless the demo has answered one already. */
  answer(items: FlaggedItem[]): Promise<void>;
  /** Prints the reply's outcome once it has one (once). */
  follow(): Promise<void>;
}

function replyText(author: string | null, business: string): string {
  const firstName = author?.trim().split(/\s+/)[0];
  return `${firstName ? `Dear ${firstName}` : 'Hello'}, we are so sorry about your visit. This is not how anyone should feel at ${business}: please call us and ask for the manager, so we can put it right.`;
}

function outcomeWords(reply: ReplyJson): string {
  switch (reply.status) {
    case 'published':
      return `published${reply.platformReplyUrl === null ? '' : ` (${reply.platformReplyUrl})`}`;
    case 'pending_moderation':
      return 'sent, held for Google’s moderation before it shows';
    default:
      return `${reply.status}${reply.reason === null ? '' : `: ${reply.reason}`}`;
  }
}

export function createDemoReplier(options: { api: Api; business: string; say: (line: string) => void }): DemoReplier {
  const { api, say } = options;
  let sent: { item: FlaggedItem; replyId: string } | undefined;
  let reported = false;

  const describe = (item: FlaggedItem) => `${item.author ?? 'a customer'}'s ${item.rating ?? '?'}★ review`;

  return {
    async answer(items) {
      if (sent !== undefined || reported) return;
      // Only a 1★ one: 2★ reviews may be flagged a moment earlier, and the demo should answer the worst.
      const worst = items.find((item) => item.rating === 1);
      if (worst === undefined) return;
      try {
        const reply = (await api('POST', `/v1/items/${worst.id}/replies`, { text: replyText(worst.author, options.business) })) as ReplyJson;
        sent = { item: worst, replyId: reply.id };
        const seconds = Math.max(0, Math.round((Date.parse(reply.sendAt) - Date.now()) / 1000));
        say(`replying on Google to ${describe(worst)} as the owner; it can be taken back for ${seconds} s, then it is sent`);
      } catch (error) {
        // The rest of the demo goes on; a refusal is shown, not retried.
        reported = true;
        say(`could not reply on Google to ${describe(worst)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    async follow() {
      if (sent === undefined || reported) return;
      const { replies } = (await api('GET', `/v1/items/${sent.item.id}/replies`)) as { replies: ReplyJson[] };
      const reply = replies.find((candidate) => candidate.id === sent?.replyId);
      if (reply === undefined || ON_ITS_WAY.has(reply.status)) return;
      reported = true;
      const went = reply.status === 'published' || reply.status === 'pending_moderation';
      say(`${went ? 'replied' : 'the reply'} on Google to ${describe(sent.item)}: ${outcomeWords(reply)}`);
    },
  };
}
