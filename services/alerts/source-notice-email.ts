import type { SourceNoticeContext } from '../../db/repositories/source-notices.ts';
import type { RenderedEmail } from './alert-email.ts';
import { escapeHtml, sourceName } from './alert-email.ts';

const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : 'never');

/** Tells an owner a source cannot work without them, or may have stopped hearing things. */
export function renderSourceNoticeEmail(kind: string, context: SourceNoticeContext, publicUrl: string): RenderedEmail {
  const platform = sourceName(context.sourceType);
  const link = `${publicUrl}/v1/sources/${context.sourceId}`;
  const lines =
    kind === 'source_quiet'
      ? {
          subject: `Earshot has heard nothing from ${platform} for ${context.businessName} since ${day(context.quietSince)}`,
          body: [
            `The ${platform} source of ${context.businessName} polls without errors, but nothing new has arrived since ${day(context.quietSince)}: far longer than it usually stays quiet.`,
            'That can be a quiet spell, or a place id, search term or feed that no longer matches anything. Check the source settings.',
          ],
        }
      : {
          subject: `Earshot cannot read ${platform} for ${context.businessName}: the source needs attention`,
          body: [
            `The platform refused Earshot's request, so polling of this source is paused until its settings change.`,
            `What the platform said: ${context.lastError.message ?? 'no reason given'}`,
            'Usually the API key or token was revoked or expired, or the place or account id changed. Update the source (PATCH /v1/sources/{id} with new credentials or config); it is polled again at once.',
          ],
        };
  const fields: Array<[string, string]> = [
    ['Business', context.businessName],
    ['Source', `${platform} (${context.sourceId})`],
    ['Last successful poll', day(context.lastSuccessAt)],
  ];
  const text = [...lines.body, '', ...fields.map(([label, value]) => `${label}: ${value}`), '', `Source in Earshot: ${link}`].join('\n');
  const html = `<!doctype html>
<html><body style="font-family:sans-serif">
${lines.body.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
<table>${fields.map(([label, value]) => `<tr><th align="left" style="padding-right:12px">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n')}</table>
<p><a href="${escapeHtml(link)}">Open the source in Earshot</a></p>
</body></html>`;
  return { subject: lines.subject, text, html };
}
