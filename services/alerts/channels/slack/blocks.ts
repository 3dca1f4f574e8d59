import type { AlertMessage } from '../contract.ts';
import { clip, itemFacts } from '../item-facts.ts';

/** Slack's limits on the pieces of a message (Block Kit reference). */
const HEADER_MAX = 150;
const SECTION_TEXT_MAX = 3000;
const FIELD_MAX = 2000;
const BUTTON_URL_MAX = 3000;

/** The JSON an incoming webhook takes: Block Kit `blocks`, and `text` for notifications and old clients. */
export interface SlackPayload {
  text: string;
  blocks: unknown[];
}

/** mrkdwn treats &, < and > as markup (links, mentions): a review must not ping @channel. */
function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function plain(text: string, max: number): { type: 'plain_text'; text: string; emoji: true } {
  // Slack refuses an empty text object.
  return { type: 'plain_text', text: clip(text.trim() === '' ? '(no text)' : text, max), emoji: true };
}

function button(label: string, url: string, primary: boolean): object {
  return { type: 'button', text: plain(label, 75), url, ...(primary ? { style: 'primary' } : {}) };
}

export function slackPayload(message: AlertMessage): SlackPayload {
  const blocks: unknown[] = [{ type: 'header', text: plain(message.title, HEADER_MAX) }];
  const { item } = message;
  if (item === undefined) {
    blocks.push({ type: 'section', text: plain(message.text, SECTION_TEXT_MAX) });
  } else {
    blocks.push({
      type: 'section',
      fields: itemFacts(item).map((fact) => ({ type: 'mrkdwn', text: clip(`*${fact.label}*\n${escapeMrkdwn(fact.value)}`, FIELD_MAX) })),
    });
    const words = item.title ? `${item.title}\n\n${item.text}` : item.text;
    // Plain text: the author's words are shown as written, never as Slack markup.
    blocks.push({ type: 'section', text: plain(words, SECTION_TEXT_MAX) });
    const buttons = [button('Open in Earshot', item.itemUrl, true)];
    if (item.originalUrl !== null && item.originalUrl.length <= BUTTON_URL_MAX) buttons.push(button('View original', item.originalUrl, false));
    blocks.push({ type: 'actions', elements: buttons });
  }
  return { text: clip(message.text, SECTION_TEXT_MAX), blocks };
}
