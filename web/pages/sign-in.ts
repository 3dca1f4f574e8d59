import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { deleteSession } from '../../db/repositories/sessions.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { signIn } from '../../services/people/sign-in.ts';
import { formToken } from '../csrf.ts';
import { field } from '../form-body.ts';
import { html } from '../html.ts';
import { csrfField, layout, sendHtml } from '../layout.ts';
import { safeNext } from '../page-access.ts';
import { clearSessionCookie, setSessionCookie } from '../session-auth.ts';
import { secureCookies, signInLimits } from '../web-context.ts';

const NOTICES: Record<string, string> = {
  'signed-out': 'You are signed out.',
  'password-set': 'Your password is set. Sign in with it.',
  'reset-sent': 'If that address has an account, a reset link is on its way. It works once.',
};

function signInPage(request: FastifyRequest, reply: FastifyReply, secure: boolean, options: { email?: string; next: string; problem?: string; status?: number }) {
  const csrf = formToken(request, reply, secure);
  const notice = options.problem
    ? { kind: 'problem' as const, text: options.problem }
    : NOTICES[(request.query as { done?: string }).done ?? ''] !== undefined
      ? { kind: 'ok' as const, text: NOTICES[(request.query as { done?: string }).done ?? ''] as string }
      : undefined;
  const page = layout({
    title: 'Sign in',
    person: null,
    csrf,
    notice,
    body: html`<section class="narrow">
<h1>Sign in</h1>
<form method="post" action="/sign-in">
${csrfField(csrf)}
<input type="hidden" name="next" value="${options.next}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="320" value="${options.email ?? ''}" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200">
<button type="submit">Sign in</button>
</form>
<p><a href="/reset-password">Forgot your password?</a></p>
</section>`,
  });
  return sendHtml(reply, page, options.status ?? 200);
}

export function signInRoutes(deps: ApiDeps): FastifyPluginAsync {
  const limits = signInLimits(deps.config);
  const secure = secureCookies(deps.config);
  return async (app) => {
    app.get<{ Querystring: { next?: string; done?: string } }>(
      '/sign-in',
      {
        config: { page: { public: true } },
        schema: { hide: true, querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 2000 }, done: { type: 'string', maxLength: 40 } } } },
      },
      async (request, reply) => {
        if (request.person !== null) return reply.redirect(safeNext(request.query.next), 303);
        return signInPage(request, reply, secure, { next: safeNext(request.query.next) });
      },
    );

    app.post(
      '/sign-in',
      { config: { page: { public: true } }, schema: { hide: true } },
      async (request, reply) => {
        const email = field(request.body, 'email').trim();
        const next = safeNext(field(request.body, 'next'));
        const outcome = await signIn(
          deps.db,
          { email, password: field(request.body, 'password'), address: request.ip, userAgent: request.headers['user-agent'] ?? null },
          limits,
        );
        if (outcome.kind === 'too_many_attempts') {
          reply.header('retry-after', String(outcome.retryAfterSeconds));
          return signInPage(request, reply, secure, {
            email,
            next,
            status: 429,
            problem: `Too many failed sign-ins. Wait ${Math.ceil(outcome.retryAfterSeconds / 60)} minutes and try again, or reset your password.`,
          });
        }
        if (outcome.kind === 'refused') {
          return signInPage(request, reply, secure, { email, next, status: 401, problem: 'That email and password do not match an account.' });
        }
        setSessionCookie(reply, outcome.token, limits, secure);
        return reply.redirect(next, 303);
      },
    );

    app.post(
      '/sign-out',
      { config: { page: { roles: ['owner', 'staff', 'consultant'] } }, schema: { hide: true } },
      async (request, reply) => {
        if (request.person !== null) await deleteSession(deps.db, request.person.sessionId);
        clearSessionCookie(reply, secure);
        return reply.redirect('/sign-in?done=signed-out', 303);
      },
    );
  };
}
