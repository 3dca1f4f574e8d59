import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorHandler } from '../services/api/errors.ts';
import { html } from './html.ts';
import { layout, sendHtml } from './layout.ts';
import { PageError } from './page-error.ts';

const TITLES: Record<number, string> = {
  400: 'Something in the form is not right',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Not found',
  413: 'Too large',
  429: 'Too many attempts',
  503: 'Earshot is briefly unavailable',
};

export function errorPage(request: FastifyRequest, reply: FastifyReply, status: number, title: string, message: string): FastifyReply {
  const page = layout({
    title,
    person: request.person,
    // Error pages carry no forms but the sign-out button, which needs the session's token.
    csrf: request.person?.csrfToken ?? '',
    body: html`<h1>${title}</h1><p>${message}</p><p><a href="/">Back to the inbox</a></p>`,
  });
  return sendHtml(reply, page, status);
}

/**
 * Pages fail as pages: the API's own error mapping decides the status and the
 * words (so a 5xx hides internals and is logged the same way), then the person
 * sees them as HTML rather than JSON.
 */
export function webErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof PageError) return errorPage(request, reply, error.status, error.title, error.message);
  // Let the API's handler classify and log, then read what it decided.
  let decided: { status: number; message: string } = { status: 500, message: 'Something went wrong.' };
  const capture = {
    status(code: number) {
      decided.status = code;
      return capture;
    },
    headers(headers: Record<string, string>) {
      for (const [name, value] of Object.entries(headers)) reply.header(name, value);
      return capture;
    },
    send(body: { error: { message: string } }) {
      decided = { ...decided, message: body.error.message };
      return capture;
    },
  };
  errorHandler(error, request, capture as unknown as FastifyReply);
  const message = decided.status >= 500 && decided.status !== 503 ? `Something went wrong on our side. ${decided.message}` : decided.message;
  return errorPage(request, reply, decided.status, TITLES[decided.status] ?? 'Something went wrong', message);
}

/** A browser asking for a page that does not exist gets a page, not the API's JSON. */
export function wantsPage(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  if (path === '/v1' || path.startsWith('/v1/') || path.startsWith('/docs')) return false;
  return (request.headers.accept ?? '').includes('text/html');
}
