import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { readCookie, serializeCookie } from './cookies.ts';
import { PageError } from './page-error.ts';

/** The field every form carries, and the cookie that stands in for a session before sign-in. */
export const CSRF_FIELD = '_csrf';
const PRE_SESSION_COOKIE = 'earshot_form';

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The token to put in a form: the session's own, or before sign-in a random one
 * also set as a cookie (double submit), so even the sign-in form cannot be posted
 * from elsewhere.
 */
export function formToken(request: FastifyRequest, reply: FastifyReply, secureCookies: boolean): string {
  if (request.person !== null) return request.person.csrfToken;
  const existing = readCookie(request.headers.cookie, PRE_SESSION_COOKIE);
  if (existing !== undefined && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  reply.header('set-cookie', serializeCookie(PRE_SESSION_COOKIE, token, { secure: secureCookies }));
  return token;
}

/** The origins a form may come from: Earshot's public address, and the address the browser used. */
function ownOrigins(request: FastifyRequest, publicUrl: string): string[] {
  return [new URL(publicUrl).origin, `${request.protocol}://${request.host}`];
}

/**
 * Every state-changing web request must come from a page Earshot served to this
 * browser: the browser's own word on where it came from (Sec-Fetch-Site, Origin)
 * must say this origin — another port of the same host is another origin — and the
 * form must carry the token only Earshot's pages hold. SameSite cookies alone would
 * let a page on another port of the same host post as the person.
 */
export function requireSameOriginForm(publicUrl: string): preHandlerAsyncHookHandler {
  return async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const fetchSite = request.headers['sec-fetch-site'];
    if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') throw refused();
    const origin = request.headers.origin;
    if (origin !== undefined && !ownOrigins(request, publicUrl).includes(origin)) throw refused();
    const body = request.body as Record<string, unknown> | undefined;
    const sent = typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : '';
    const expected = request.person?.csrfToken ?? readCookie(request.headers.cookie, PRE_SESSION_COOKIE) ?? '';
    if (sent === '' || expected === '' || !sameToken(sent, expected)) throw refused();
  };
}

function refused(): PageError {
  return new PageError(403, 'Form refused', 'This form did not come from an Earshot page open in this browser. Go back, reload the page and send it again.');
}
