import type { SignInLinkContext } from '../../db/repositories/sign-in-links.ts';
import { signInLinkUrl, type SignInLinkSettings } from '../people/sign-in-link-token.ts';
import { escapeHtml, type RenderedEmail } from './alert-email.ts';

const when = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The email that carries an invitation or a password-reset link. The link is signed
 * again here rather than stored, so a copy of the outbox table opens nothing.
 */
export function renderSignInLinkEmail(context: SignInLinkContext, links: SignInLinkSettings): RenderedEmail {
  const { link, accountName } = context;
  const url = signInLinkUrl(links, link.purpose, link.id);
  const role = link.role ?? 'staff';
  const lines =
    link.purpose === 'invitation'
      ? {
          subject: `${link.createdBy} invited you to ${accountName} on Earshot`,
          body: [
            `${link.createdBy} invited you to ${accountName} on Earshot, where the reviews and mentions of its businesses are answered, as ${article(role)} ${role}.`,
            'Open the link below to choose your name and password. It works once.',
          ],
          action: 'Accept the invitation',
        }
      : {
          subject: 'Reset your Earshot password',
          body: [
            'Someone, probably you, asked to reset the password of your Earshot sign-in.',
            'Open the link below to choose a new one. It works once, and signs you out everywhere else. If you did not ask, ignore this email: your password stays as it is.',
          ],
          action: 'Choose a new password',
        };
  const expiry = `The link works until ${when(link.expiresAt)}.`;
  const text = [...lines.body, '', url, '', expiry].join('\n');
  const html = `<!doctype html>
<html><body style="font-family:sans-serif">
${lines.body.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
<p><a href="${escapeHtml(url)}">${escapeHtml(lines.action)}</a></p>
<p>${escapeHtml(expiry)}</p>
</body></html>`;
  return { subject: lines.subject, text, html };
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
