import type { Config } from '../../config/config.ts';
import { accountExists, createAccount } from '../../db/repositories/accounts.ts';
import type { Role } from '../../db/schema.ts';
import { invitePerson } from '../people/invitations.ts';
import { PeopleRefusal } from '../people/people-refusal.ts';
import { deriveSignInLinkKey } from '../people/sign-in-link-token.ts';
import { loadOrCreateSecret } from '../runtime/instance-secret.ts';
import { deriveCredentialsKey } from '../sources/credentials.ts';
import { withDatabase } from './with-database.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who the invitation email and the "ask … for a new one" page name for invitations made here. */
const INVITED_BY = 'the Earshot administrator';

/**
 * `earshot users invite`: prints only the invitation link on stdout, so a script (or the
 * person at the console) can open it. The email carrying it is written to the outbox in
 * the same transaction; a running Earshot's reconciler finds it within about two
 * minutes and its workers send it (or write it to DATA_DIR/outbox without SMTP_URL).
 */
export async function inviteUser(
  config: Config,
  options: { email: string; role: Role; accountId: string | undefined; businessIds: readonly string[] },
): Promise<number> {
  // The link is signed with the instance's own secret, the one the running service checks it with.
  const links = { key: deriveSignInLinkKey(deriveCredentialsKey(await loadOrCreateSecret(config.secret, config.dataDir))), publicUrl: config.publicUrl };
  return withDatabase(config, async (db) => {
    if (options.accountId !== undefined && (!UUID.test(options.accountId) || !(await accountExists(db, options.accountId)))) {
      process.stderr.write(`earshot: no account ${options.accountId} (earshot accounts list shows them)\n`);
      return 1;
    }
    try {
      const sent = await db.transaction().execute(async (tx) => {
        const accountId = options.accountId ?? (await createAccount(tx, 'New account')).id;
        const invitation = await invitePerson(
          tx,
          { accountId, email: options.email, role: options.role, businessIds: options.businessIds, invitedBy: INVITED_BY, expiresAt: new Date(Date.now() + config.invitationDays * 86_400_000) },
          links,
        );
        return { ...invitation, accountId };
      });
      if (options.accountId === undefined) {
        process.stderr.write(`Created a new, empty account ${sent.accountId} for this person; to invite into an existing account, pass --account ID (see earshot accounts list)\n`);
      }
      process.stderr.write(`The invitation works once, until ${sent.link.expiresAt.toISOString()}; it is also emailed to ${sent.link.email} by the running Earshot.\n`);
      process.stdout.write(`${sent.url}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof PeopleRefusal)) throw error;
      const message = error.field === 'businessIds' ? `a --business is not a business of account ${options.accountId}` : error.message;
      process.stderr.write(`earshot: ${message}\n`);
      return 1;
    }
  });
}
