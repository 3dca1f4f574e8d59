import type { FastifyReply } from 'fastify';
import { listKeys } from '../../db/repositories/api-keys.ts';
import { listBusinesses } from '../../db/repositories/businesses.ts';
import { listPendingInvitations } from '../../db/repositories/sign-in-links.ts';
import { listUsers } from '../../db/repositories/users.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import type { Person } from '../../services/people/sessions.ts';
import { signInLinkUrl, type SignInLinkSettings } from '../../services/people/sign-in-link-token.ts';
import { layout, sendHtml } from '../layout.ts';
import { PageError } from '../page-error.ts';
import { peopleBody, type PeopleView } from './people-view.ts';

/** Changing people or keys is for owners of the whole account: a limited owner could otherwise widen their own reach. */
export function requireAccountWideOwner(person: Person): void {
  if (person.businessIds !== null) {
    throw new PageError(403, 'Not for your scope', 'Only owners of all businesses can invite, change or remove people and manage keys.');
  }
}

/** Loads what the page shows, for the person asking. */
export async function peopleView(deps: ApiDeps, links: SignInLinkSettings, person: Person, extra: Partial<PeopleView> = {}): Promise<PeopleView> {
  const canChange = person.businessIds === null;
  const [people, invitations, keys, businesses] = await Promise.all([
    listUsers(deps.db, person.accountId),
    listPendingInvitations(deps.db, person.accountId),
    listKeys(deps.db, person.accountId),
    listBusinesses(deps.db, { accountId: person.accountId, businessIds: null }),
  ]);
  return {
    person,
    canChange,
    people,
    // The link is shown to those who could make a new one anyway, for installs that do not send email.
    invitations: invitations.map((link) => ({ link, url: canChange ? signInLinkUrl(links, 'invitation', link.id) : '' })),
    keys,
    businesses,
    ...extra,
  };
}

export function sendPeoplePage(reply: FastifyReply, view: PeopleView, notice?: { kind: 'ok' | 'problem'; text: string }, status = 200): FastifyReply {
  const page = layout({ title: 'People & keys', person: view.person, csrf: view.person.csrfToken, section: 'people', notice, body: peopleBody(view) });
  return sendHtml(reply, page, status);
}
