import type { FastifyPluginAsync } from 'fastify';
import { deleteInvitation } from '../../db/repositories/sign-in-links.ts';
import { enqueueAlertsSoon } from '../../services/alerts/enqueue-alerts.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { invitePerson } from '../../services/people/invitations.ts';
import { changeAccess, removePerson } from '../../services/people/membership.ts';
import { PeopleRefusal } from '../../services/people/people-refusal.ts';
import type { Person } from '../../services/people/sessions.ts';
import { deriveSignInLinkKey, type SignInLinkSettings } from '../../services/people/sign-in-link-token.ts';
import { field } from '../form-body.ts';
import { PageError } from '../page-error.ts';
import { accountRoutes } from './account.ts';
import { invitationRoutes } from './invitation.ts';
import { readAccessFields } from './people-fields.ts';
import { peopleKeyRoutes } from './people-keys.ts';
import { peopleView, requireAccountWideOwner, sendPeoplePage } from './people-page.ts';
import { resetPasswordRoutes } from './reset-password.ts';

export const OWNERS = { page: { roles: ['owner'] as const } };
export const OWNERS_ON_PERSON = { page: { roles: ['owner'] as const, target: 'user' as const } };

const DONE: Record<string, string> = {
  invited: 'Invitation sent. The link works once; it is listed below until it is accepted.',
  'access-changed': 'Access changed. It applies from their next click.',
  removed: 'Removed. They were signed out at once.',
  withdrawn: 'Invitation withdrawn: its link no longer works.',
  'key-revoked': 'Key revoked. Requests with it are refused from now on.',
};

function refusalStatus(error: PeopleRefusal): number {
  return error.conflict ? 409 : 400;
}

/**
 * People & keys (owners), and the pages of one's own sign-in: accepting an invitation,
 * resetting a password, your account.
 */
export function peoplePages(deps: ApiDeps): FastifyPluginAsync {
  const links: SignInLinkSettings = { key: deriveSignInLinkKey(deps.credentialsKey), publicUrl: deps.config.publicUrl };
  return async (app) => {
    app.get<{ Querystring: { done?: string } }>(
      '/people',
      { config: OWNERS, schema: { hide: true, querystring: { type: 'object', properties: { done: { type: 'string', maxLength: 40 } } } } },
      async (request, reply) => {
        const text = DONE[request.query.done ?? ''];
        return sendPeoplePage(reply, await peopleView(deps, links, request.person as Person), text === undefined ? undefined : { kind: 'ok', text });
      },
    );

    app.post('/people/invite', { config: OWNERS, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      requireAccountWideOwner(person);
      const email = field(request.body, 'email');
      const { role, businessIds } = readAccessFields(request.body);
      try {
        if (role === undefined) throw new PeopleRefusal('Role: choose owner, staff or consultant.', { field: 'role' });
        const expiresAt = new Date(Date.now() + deps.config.invitationDays * 86_400_000);
        const sent = await invitePerson(deps.db, { accountId: person.accountId, email, role, businessIds, invitedBy: person.actor, expiresAt }, links);
        await enqueueAlertsSoon(deps.queues, `invitation-${sent.link.id}`, sent.deliveryIds, request.log);
      } catch (error) {
        if (!(error instanceof PeopleRefusal)) throw error;
        const view = await peopleView(deps, links, person, { invite: { email, role: role ?? 'staff', businessIds, invalid: error.field } });
        return sendPeoplePage(reply, view, { kind: 'problem', text: error.message }, refusalStatus(error));
      }
      return reply.redirect('/people?done=invited', 303);
    });

    app.post<{ Params: { id: string } }>('/people/:id/access', { config: OWNERS_ON_PERSON, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      requireAccountWideOwner(person);
      const { role, businessIds } = readAccessFields(request.body);
      try {
        if (role === undefined) throw new PeopleRefusal('Role: choose owner, staff or consultant.', { field: 'role' });
        await changeAccess(deps.db, person.accountId, request.params.id, { role, businessIds });
      } catch (error) {
        if (!(error instanceof PeopleRefusal)) throw error;
        return sendPeoplePage(reply, await peopleView(deps, links, person), { kind: 'problem', text: error.message }, refusalStatus(error));
      }
      return reply.redirect('/people?done=access-changed', 303);
    });

    app.post<{ Params: { id: string } }>('/people/:id/remove', { config: OWNERS_ON_PERSON, schema: { hide: true } }, async (request, reply) => {
      const person = request.person as Person;
      requireAccountWideOwner(person);
      try {
        await removePerson(deps.db, person.accountId, request.params.id);
      } catch (error) {
        if (!(error instanceof PeopleRefusal)) throw error;
        return sendPeoplePage(reply, await peopleView(deps, links, person), { kind: 'problem', text: error.message }, refusalStatus(error));
      }
      // Removing yourself ends your own session too.
      if (request.params.id === person.userId) return reply.redirect('/sign-in?done=signed-out', 303);
      return reply.redirect('/people?done=removed', 303);
    });

    app.post<{ Params: { linkId: string } }>(
      '/people/invitations/:linkId/withdraw',
      { config: OWNERS, schema: { hide: true, params: { type: 'object', properties: { linkId: { type: 'string', format: 'uuid' } }, required: ['linkId'] } } },
      async (request, reply) => {
        const person = request.person as Person;
        requireAccountWideOwner(person);
        if (!(await deleteInvitation(deps.db, person.accountId, request.params.linkId))) throw PageError.notFound();
        return reply.redirect('/people?done=withdrawn', 303);
      },
    );

    await app.register(peopleKeyRoutes(deps, links));
    await app.register(accountRoutes(deps));
    await app.register(invitationRoutes(deps));
    await app.register(resetPasswordRoutes(deps));
  };
}
