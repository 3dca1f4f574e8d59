import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { listBusinesses } from '../../db/repositories/businesses.ts';
import { findUserQuietHours } from '../../db/repositories/users.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { changeOwnPassword, renameSelf, setOwnQuietHours, signOutEverywhere } from '../../services/people/account-settings.ts';
import { PeopleRefusal } from '../../services/people/people-refusal.ts';
import type { Person } from '../../services/people/sessions.ts';
import { field } from '../form-body.ts';
import { html } from '../html.ts';
import { csrfField, layout, sendHtml } from '../layout.ts';
import { clearSessionCookie } from '../session-auth.ts';
import { secureCookies } from '../web-context.ts';
import { ROLE_WORDS, scopeWords, textField } from './people-fields.ts';
import { quietHoursFields, quietHoursText, readQuietHoursForm, type QuietHoursText } from './quiet-hours-fields.ts';

const EVERY_ROLE = { page: { roles: ['owner', 'staff', 'consultant'] as const } };

const DONE: Record<string, string> = {
  renamed: 'Your name is changed. Your actions from now on are recorded under it.',
  'password-changed': 'Your password is changed. Every other browser you were signed in on is signed out.',
  'quiet-hours-saved': 'Your quiet hours are saved. Instant alerts to you that fall inside them wait until they end, unless the item is urgent.',
  'quiet-hours-cleared': 'You have no quiet hours: instant alerts reach you at any time.',
};

const QUIET_HOURS_HINT =
  "The times are in each business's time zone: 22:00 to 07:00 is the night where the business is. Instant alerts to you (from a rule naming you, or to an alert address that is yours) wait until your quiet hours end, unless the item is urgent: 1★, or matched by a rule marked urgent. Leave both empty for none.";

/** Your own sign-in: who you are here, your name, your password, and signing out everywhere. */
export function accountRoutes(deps: ApiDeps): FastifyPluginAsync {
  const secure = secureCookies(deps.config);

  async function accountPage(reply: FastifyReply, person: Person, options: { done?: string; name?: string; quietHours?: QuietHoursText; problem?: PeopleRefusal } = {}) {
    const businesses = await listBusinesses(deps.db, person);
    const quietHours = options.quietHours ?? quietHoursText((await findUserQuietHours(deps.db, person.accountId, person.userId)) ?? null);
    const bad = (name: string) => options.problem?.field === name;
    const notice = options.problem
      ? { kind: 'problem' as const, text: options.problem.message }
      : DONE[options.done ?? ''] !== undefined
        ? { kind: 'ok' as const, text: DONE[options.done ?? ''] as string }
        : undefined;
    const page = layout({
      title: 'Your account',
      person,
      csrf: person.csrfToken,
      notice,
      body: html`<h1>Your account</h1>
<section class="card">
<dl class="facts">
<dt>Email</dt><dd>${person.email}</dd>
<dt>Role</dt><dd>${ROLE_WORDS[person.role]}</dd>
<dt>Businesses</dt><dd>${scopeWords(person.businessIds, businesses)}</dd>
</dl>
</section>
<section class="card">
<h2>Your name</h2>
<form method="post" action="/account/name">
${csrfField(person.csrfToken)}
${textField({ id: 'displayName', label: 'Name shown in item timelines', value: options.name ?? person.displayName ?? '', autocomplete: 'name', maxlength: 100, invalid: bad('displayName') })}
<button type="submit">Save name</button>
</form>
</section>
<section class="card">
<h2>Quiet hours</h2>
<form method="post" action="/account/quiet-hours">
${csrfField(person.csrfToken)}
${quietHoursFields(quietHours, QUIET_HOURS_HINT, options.problem?.field)}
<button type="submit">Save quiet hours</button>
</form>
</section>
<section class="card">
<h2>Password</h2>
<form method="post" action="/account/password">
${csrfField(person.csrfToken)}
${textField({ id: 'current', label: 'Current password', type: 'password', autocomplete: 'current-password', invalid: bad('current') })}
${textField({ id: 'password', label: 'New password (at least 10 characters)', type: 'password', autocomplete: 'new-password', invalid: bad('password') })}
${textField({ id: 'confirm', label: 'Repeat the new password', type: 'password', autocomplete: 'new-password', invalid: bad('confirm') })}
<button type="submit">Change password</button>
</form>
</section>
<section class="card">
<h2>Sessions</h2>
<p>Signed in on a computer or phone you no longer use? Sign out on every one of them, this one included.</p>
<form method="post" action="/sign-out-everywhere" data-confirm="Sign out on every browser, this one included?">
${csrfField(person.csrfToken)}
<button type="submit" class="danger">Sign out everywhere</button>
</form>
</section>`,
    });
    return sendHtml(reply, page, options.problem ? 400 : 200);
  }

  return async (app) => {
    app.get<{ Querystring: { done?: string } }>(
      '/account',
      { config: EVERY_ROLE, schema: { hide: true, querystring: { type: 'object', properties: { done: { type: 'string', maxLength: 40 } } } } },
      async (request, reply) => accountPage(reply, request.person as Person, { done: request.query.done }),
    );

    app.post('/account/name', { config: EVERY_ROLE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const name = field(request.body, 'displayName');
      try {
        await renameSelf(deps.db, person, name);
      } catch (error) {
        if (error instanceof PeopleRefusal) return accountPage(reply, person, { name, problem: error });
        throw error;
      }
      return reply.redirect('/account?done=renamed', 303);
    });

    app.post('/account/quiet-hours', { config: EVERY_ROLE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      const submitted = readQuietHoursForm(request.body);
      try {
        const saved = await setOwnQuietHours(deps.db, person, submitted.hours);
        return reply.redirect(`/account?done=${saved === null ? 'quiet-hours-cleared' : 'quiet-hours-saved'}`, 303);
      } catch (error) {
        if (error instanceof PeopleRefusal) return accountPage(reply, person, { quietHours: submitted.text, problem: error });
        throw error;
      }
    });

    app.post('/account/password', { config: EVERY_ROLE, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      try {
        await changeOwnPassword(deps.db, person, {
          current: field(request.body, 'current'),
          password: field(request.body, 'password'),
          confirm: field(request.body, 'confirm'),
        });
      } catch (error) {
        if (error instanceof PeopleRefusal) return accountPage(reply, person, { problem: error });
        throw error;
      }
      return reply.redirect('/account?done=password-changed', 303);
    });

    app.post('/sign-out-everywhere', { config: EVERY_ROLE, schema: { hide: true } }, async (request, reply) => {
      await signOutEverywhere(deps.db, request.person as Person);
      clearSessionCookie(reply, secure);
      return reply.redirect('/sign-in?done=signed-out', 303);
    });
  };
}
