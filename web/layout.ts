import type { FastifyReply } from 'fastify';
import type { Role } from '../db/schema.ts';
import type { Person } from '../services/people/sessions.ts';
import { CSRF_FIELD } from './csrf.ts';
import { html, type Html } from './html.ts';

/** The sections of the app, in the order the menu shows them, and who sees each. */
export type Section = 'inbox' | 'sources' | 'settings' | 'alerts' | 'reports' | 'people';
const SECTIONS: ReadonlyArray<{ key: Section; label: string; href: string; roles: readonly Role[] }> = [
  { key: 'inbox', label: 'Inbox', href: '/', roles: ['owner', 'staff', 'consultant'] },
  { key: 'sources', label: 'Sources', href: '/sources', roles: ['owner'] },
  { key: 'settings', label: 'Businesses', href: '/businesses', roles: ['owner'] },
  { key: 'alerts', label: 'Alerts', href: '/alerts', roles: ['owner'] },
  { key: 'reports', label: 'Reports', href: '/reports', roles: ['owner', 'consultant'] },
  { key: 'people', label: 'People & keys', href: '/people', roles: ['owner'] },
];

export function sectionsFor(role: Role): Section[] {
  return SECTIONS.filter((section) => section.roles.includes(role)).map((section) => section.key);
}

export interface PageShell {
  title: string;
  /** null on sign-in and the other pages for people not signed in. */
  person: Person | null;
  /** The token every form on the page carries (see web/csrf.ts). */
  csrf: string;
  section?: Section;
  /** A one-line confirmation or problem shown above the content. */
  notice?: { kind: 'ok' | 'problem'; text: string } | undefined;
  /** Extra scripts of this page, served from /assets. */
  scripts?: string[];
  body: Html;
}

/** The hidden field that proves a form came from this page (web/csrf.ts). */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}

function nav(person: Person, csrf: string, current: Section | undefined): Html {
  const links = SECTIONS.filter((section) => section.roles.includes(person.role)).map(
    (section) => html`<li><a href="${section.href}"${current === section.key ? html` aria-current="page"` : ''}>${section.label}</a></li>`,
  );
  return html`<nav aria-label="Main">
  <a class="brand" href="/">Earshot</a>
  <ul>${links}</ul>
  <form method="post" action="/sign-out" class="sign-out">${csrfField(csrf)}<a class="who" href="/account" title="Your account">${person.actor}</a> <button type="submit">Sign out</button></form>
</nav>`;
}

export function layout(shell: PageShell): Html {
  const scripts = ['app.js', ...(shell.scripts ?? [])];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${shell.title} · Earshot</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
${scripts.map((name) => html`<script type="module" src="/assets/${name}"></script>`)}
</head>
<body>
<header>${shell.person ? nav(shell.person, shell.csrf, shell.section) : html`<nav aria-label="Main"><a class="brand" href="/">Earshot</a></nav>`}</header>
<main>
${shell.notice ? html`<p class="notice ${shell.notice.kind}" role="${shell.notice.kind === 'ok' ? 'status' : 'alert'}">${shell.notice.text}</p>` : ''}
${shell.body}
</main>
</body>
</html>`;
}

/**
 * Sends a page with the headers every page carries: no framing, no inline script,
 * forms only to Earshot itself, nothing cached that belongs to a signed-in person.
 */
export function sendHtml(reply: FastifyReply, page: Html, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header(
      'content-security-policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
    .send(page.text);
}
