import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { SignInLinkRecord } from '../../db/repositories/sign-in-links.ts';
import type { Role } from '../../db/schema.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { acceptInvitation } from '../../services/people/invitations.ts';
import { openSignInLink, UnusableLinkError } from '../../services/people/open-sign-in-link.ts';
import { PeopleRefusal } from '../../services/people/people-refusal.ts';
import { deriveSignInLinkKey } from '../../services/people/sign-in-link-token.ts';
import { formToken } from '../csrf.ts';
import { field } from '../form-body.ts';
import { html } from '../html.ts';
import { csrfField, layout, sendHtml } from '../layout.ts';
import { setSessionCookie } from '../session-auth.ts';
import { secureCookies, signInLimits } from '../web-context.ts';
import { TOKEN_PARAMS, unusableLinkPage, type TokenParams } from './invitation-link.ts';
import { textField } from './people-fields.ts';

const AS_ROLE: Record<Role, string> = { owner: 'an owner', staff: 'a member of staff', consultant: 'a consultant' };

interface AcceptForm {
  email: string;
  displayName: string;
  problem?: PeopleRefusal;
}

function acceptPage(request: FastifyRequest<{ Params: TokenParams }>, reply: FastifyReply, secure: boolean, link: SignInLinkRecord, form: AcceptForm, status = 200) {
  const csrf = formToken(request, reply, secure);
  const bad = (name: string) => form.problem?.field === name;
  // The first owner's link names no email: they say which address they sign in with.
  const emailPart =
    link.email === ''
      ? textField({ id: 'email', label: 'Your email', type: 'email', value: form.email, autocomplete: 'username', maxlength: 320, invalid: bad('email') })
      : html`<p>You sign in as <strong>${link.email}</strong>.</p>`;
  const page = layout({
    title: 'Accept your invitation',
    person: null,
    csrf,
    notice: form.problem ? { kind: 'problem', text: form.problem.message } : undefined,
    body: html`<section class="narrow">
<h1>Join Earshot</h1>
<p>${link.createdBy} invited you as ${AS_ROLE[link.role ?? 'staff']}. Choose your name and a password.</p>
<form method="post" action="/invitations/${request.params.token}">
${csrfField(csrf)}
${emailPart}
${textField({ id: 'displayName', label: 'Your name', value: form.displayName, autocomplete: 'name', maxlength: 100, invalid: bad('displayName') })}
${textField({ id: 'password', label: 'Password (at least 10 characters)', type: 'password', autocomplete: 'new-password', invalid: bad('password') })}
${textField({ id: 'confirm', label: 'Repeat the password', type: 'password', autocomplete: 'new-password', invalid: bad('confirm') })}
<button type="submit">Join and sign in</button>
</form>
</section>`,
  });
  return sendHtml(reply, page, status);
}

/** Accepting an invitation: name and password, then signed in and on the inbox. */
export function invitationRoutes(deps: ApiDeps): FastifyPluginAsync {
  const key = deriveSignInLinkKey(deps.credentialsKey);
  const limits = signInLimits(deps.config);
  const secure = secureCookies(deps.config);
  return async (app) => {
    app.get<{ Params: TokenParams }>(
      '/invitations/:token',
      { config: { page: { public: true } }, schema: { hide: true, params: TOKEN_PARAMS } },
      async (request, reply) => {
        const state = await openSignInLink(deps.db, key, 'invitation', request.params.token);
        if (state.kind !== 'usable') return unusableLinkPage(request, reply, state);
        return acceptPage(request, reply, secure, state.link, { email: '', displayName: '' });
      },
    );

    app.post<{ Params: TokenParams }>(
      '/invitations/:token',
      { config: { page: { public: true } }, schema: { hide: true, params: TOKEN_PARAMS } },
      async (request, reply) => {
        const answer = {
          email: field(request.body, 'email'),
          displayName: field(request.body, 'displayName'),
          password: field(request.body, 'password'),
          confirm: field(request.body, 'confirm'),
        };
        try {
          const accepted = await acceptInvitation(deps.db, key, request.params.token, answer, { limits, userAgent: request.headers['user-agent'] ?? null });
          setSessionCookie(reply, accepted.sessionToken, limits, secure);
          return reply.redirect('/', 303);
        } catch (error) {
          if (error instanceof UnusableLinkError) return unusableLinkPage(request, reply, error.state);
          if (!(error instanceof PeopleRefusal)) throw error;
          const state = await openSignInLink(deps.db, key, 'invitation', request.params.token);
          if (state.kind !== 'usable') return unusableLinkPage(request, reply, state);
          return acceptPage(request, reply, secure, state.link, { email: answer.email, displayName: answer.displayName, problem: error }, error.conflict ? 409 : 400);
        }
      },
    );
  };
}
