import type { AlertMessage } from '../contract.ts';
import { clip, itemFacts } from '../item-facts.ts';

// Teams shows a card up to about 28 KB; an item's words are cut well before that.
const TEXT_MAX = 4000;
// The schema version Teams renders everywhere it shows cards posted by Workflows.
const CARD_VERSION = '1.4';

/**
 * The message a Teams Workflows webhook ("Post to a channel when a webhook request is
 * received") takes: a `message` with one Adaptive Card attachment, which the flow posts.
 */
export function teamsPayload(message: AlertMessage): object {
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: adaptiveCard(message) }],
  };
}

function textBlock(text: string, style: Record<string, unknown> = {}): object {
  return { type: 'TextBlock', text: clip(text, TEXT_MAX), wrap: true, ...style };
}

function adaptiveCard(message: AlertMessage): object {
  const { item } = message;
  const body: object[] = [textBlock(message.title, { size: 'Large', weight: 'Bolder', style: 'heading' })];
  const actions: object[] = [];
  if (item === undefined) {
    body.push(textBlock(message.text));
  } else {
    body.push({ type: 'FactSet', facts: itemFacts(item).map((fact) => ({ title: fact.label, value: fact.value })) });
    if (item.title) body.push(textBlock(item.title, { weight: 'Bolder' }));
    // TextBlock text is Markdown; a TextRun is shown as written, so a review cannot make links or headings.
    body.push({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: clip(item.text || '(no text)', TEXT_MAX) }] });
    actions.push({ type: 'Action.OpenUrl', title: 'Open in Earshot', url: item.itemUrl });
    if (item.originalUrl !== null) actions.push({ type: 'Action.OpenUrl', title: 'View original', url: item.originalUrl });
  }
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: CARD_VERSION,
    // Fallback for clients that cannot render the card (and what screen readers announce first).
    fallbackText: clip(message.text, TEXT_MAX),
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}
