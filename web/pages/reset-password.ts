import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../../services/api/deps.ts';
import { enqueueAlertsSoon } from '../../services/alerts/enqueue-alerts.ts';
import { openSignInLink, UnusableLinkError } from '../../services/people/open-sign-in-link.ts';
import { requestPasswordReset, resetPassword } from '../../services/people/password-resets.ts';
import { PeopleRefusal } from '../../services/people/people-refusal.ts';
import { deriveSignInLinkKey } from '../../services/people/sign-in-link-token.ts';
import { formToken } from '../csrf.ts';
import { field } from '../form-body.ts';
import { html, type Html } from '../html.ts';
import { csrfField, layout, sendHtml } from '../layout.ts';
import { secureCookies } from '../web-context.ts';
import { TOKEN_PARAMS, unusableLinkPage, type TokenParams } from './invitation-link.ts';
import { textField } from './people-fields.ts';

function narrowPage(reply: FastifyReply, csrf: string, title: string, body: Html, problem?: string, status = 200): FastifyReply {
  const page = layout({ title, person: null, csrf, notice: problem ? { kind: 'problem', text: problem } : undefined, body: html`<section class="narrow">${body}</section>` });
  return sendHtml(reply, page, status);
}

function askPage(request: FastifyRequest, reply: FastifyReply, secure: boolean, email = '', problem?: string, status = 200): FastifyReply {
  const csrf = formToken(request, reply, secure);
  return narrowPage(
    reply,
    csrf,
    'Reset your password',
    html`<h1>Reset your password</h1>
<p>Enter the email you sign in with. If it has an account, a link to choose a new password is emailed to it.</p>
<form method="post" action="/reset-password">
${csrfField(csrf)}
${textField({ id: 'email', label: 'Email', type: 'email', value: email, autocomplete: 'username', maxlength: 320 })}
<button type="submit">Email me a reset link</button>
</form>
<p><a href="/sign-in">Back to sign-in</a></p>`,
    problem,
    status,
  );
}

function newPasswordPage(request: FastifyRequest<{ Params: TokenParams }>, reply: FastifyReply, secure: boolean, email: string, problem?: PeopleRefusal): FastifyReply {
  const csrf = formToken(request, reply, secure);
  return narrowPage(
    reply,
    csrf,
    'Choose a new password',
    html`<h1>Choose a new password</h1>
<p>For <strong>${email}</strong>. Setting it signs you out everywhere; then sign in with the new password.</p>
<form method="post" action="/reset-password/${request.params.token}">
${csrfField(csrf)}
${textField({ id: 'password', label: 'New password (at least 10 characters)', type: 'password', autocomplete: 'new-password', invalid: problem?.field === 'password' })}
${textField({ id: 'confirm', label: 'Repeat the new password', type: 'password', autocomplete: 'new-password', invalid: problem?.field === 'confirm' })}
<button type="submit">Set the new password</button>
</form>`,
    problem?.message,
    problem ? 400 : 200,
  );
}

/** Forgot your password: ask for a link by email, then set a new password with it. */
export function resetPasswordRoutes(deps: ApiDeps): FastifyPluginAsync {
  const key = deriveSignInLinkKey(deps.credentialsKey);
  const secure = secureCookies(deps.config);
  const limits = {
    failuresPerEmail: deps.config.signInFailuresPerEmail,
    failuresPerAddress: deps.config.signInFailuresPerAddress,
    resetMinutes: deps.config.passwordResetMinutes,
  };
  return async (app) => {
    app.get('/reset-password', { config: { page: { public: true } }, schema: { hide: true } }, async (request, reply) => askPage(request, reply, secure));

    app.post('/reset-password', { config: { page: { public: true } }, schema: { hide: true } }, async (request, reply) => {
      const email = field(request.body, 'email');
      const outcome = await requestPasswordReset(deps.db, { email, address: request.ip }, limits);
      if (outcome.kind === 'too_many_attempts') {
        reply.header('retry-after', String(outcome.retryAfterSeconds));
        const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
        return askPage(request, reply, secure, email, `Too many attempts for this address. Wait ${minutes} minutes and try again.`, 429);
      }
      await enqueueAlertsSoon(deps.queues, `reset-${outcome.deliveryIds[0] ?? 'none'}`, outcome.deliveryIds, request.log);
      // The same answer whether or not the address has an account.
      return reply.redirect('/sign-in?done=reset-sent', 303);
    });

    app.get<{ Params: TokenParams }>(
      '/reset-password/:token',
      { config: { page: { public: true } }, schema: { hide: true, params: TOKEN_PARAMS } },
      async (request, reply) => {
        const state = await openSignInLink(deps.db, key, 'password_reset', request.params.token);
        if (state.kind !== 'usable') return unusableLinkPage(request, reply, state);
        return newPasswordPage(request, reply, secure, state.link.email);
      },
    );

    app.post<{ Params: TokenParams }>(
      '/reset-password/:token',
      { config: { page: { public: true } }, schema: { hide: true, params: TOKEN_PARAMS } },
      async (request, reply) => {
        try {
          await resetPassword(deps.db, key, request.params.token, { password: field(request.body, 'password'), confirm: field(request.body, 'confirm') });
          return reply.redirect('/sign-in?done=password-set', 303);
        } catch (error) {
          if (error instanceof UnusableLinkError) return unusableLinkPage(request, reply, error.state);
          if (!(error instanceof PeopleRefusal)) throw error;
          const state = await openSignInLink(deps.db, key, 'password_reset', request.params.token);
          if (state.kind !== 'usable') return unusableLinkPage(request, reply, state);
          return newPasswordPage(request, reply, secure, state.link.email, error);
        }
      },
    );
  };
}
