import type { FastifyPluginAsync } from 'fastify';
import { revokeKeepingAnOwner } from '../../db/repositories/api-keys.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { createAccountKey, KeyRefusal } from '../../services/keys/create-account-key.ts';
import type { Person } from '../../services/people/sessions.ts';
import type { SignInLinkSettings } from '../../services/people/sign-in-link-token.ts';
import { field } from '../form-body.ts';
import { layout, sendHtml } from '../layout.ts';
import { PageError } from '../page-error.ts';
import { readAccessFields } from './people-fields.ts';
import { peopleView, requireAccountWideOwner, sendPeoplePage } from './people-page.ts';
import { newKeyBody } from './people-view.ts';

const FIELD_WORDS = { name: 'Name', businessIds: 'Businesses' } as const;

/** Creating and revoking API keys from People & keys, by the same rules as POST and DELETE /v1/keys. */
export function peopleKeyRoutes(deps: ApiDeps, links: SignInLinkSettings): FastifyPluginAsync {
  return async (app) => {
    app.post('/people/keys', { config: { page: { roles: ['owner'] } }, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      requireAccountWideOwner(person);
      const name = field(request.body, 'name');
      const { role, businessIds } = readAccessFields(request.body);
      try {
        if (role === undefined) throw new PageError(400, 'Something in the form is not right', 'Role: choose owner, staff or consultant.');
        const created = await createAccountKey(deps.db, { accountId: person.accountId, role, name, businessIds });
        // Shown here, once, rather than after a redirect: the secret is kept nowhere to show it again.
        const page = layout({ title: 'New API key', person, csrf: person.csrfToken, section: 'people', body: newKeyBody({ name: created.record.name, secret: created.key }) });
        return sendHtml(reply, page, 201);
      } catch (error) {
        if (!(error instanceof KeyRefusal)) throw error;
        const view = await peopleView(deps, links, person, { newKey: { name, role: role ?? 'consultant', businessIds, invalid: error.field } });
        const what = error.field === 'businessIds' ? 'one of them' : 'it';
        return sendPeoplePage(reply, view, { kind: 'problem', text: `${FIELD_WORDS[error.field]}: ${what} ${error.message}.` }, 400);
      }
    });

    app.post<{ Params: { id: string } }>(
      '/people/keys/:id/revoke',
      { config: { page: { roles: ['owner'], target: 'key' } }, schema: { hide: true } },
      async (request, reply) => {
        const person = request.person as Person;
        requireAccountWideOwner(person);
        const outcome = await revokeKeepingAnOwner(deps.db, person.accountId, request.params.id);
        if (outcome === 'not_found') throw PageError.notFound();
        if (outcome === 'last_owner_key') {
          const text = "This is the account's last owner key for all businesses: create another owner key before revoking this one.";
          return sendPeoplePage(reply, await peopleView(deps, links, person), { kind: 'problem', text }, 409);
        }
        return reply.redirect('/people?done=key-revoked', 303);
      },
    );
  };
}
