import type { Db } from '../../db/database.ts';
import { deleteOtherSessionsOfUser, deleteSessionsOfUser } from '../../db/repositories/sessions.ts';
import { findUserForSignIn, updateUserDisplayName, updateUserPassword, updateUserQuietHours } from '../../db/repositories/users.ts';
import { quietHoursProblem, type QuietHours } from '../alerts/quiet-hours.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { PeopleRefusal } from './people-refusal.ts';
import { checkNewPassword, cleanDisplayName } from './person-details.ts';
import type { Person } from './sessions.ts';

/** The name the person's actions are recorded under from now on (earlier timeline entries keep the old one). */
export async function renameSelf(db: Db, person: Person, displayName: string): Promise<string> {
  const name = cleanDisplayName(displayName);
  await updateUserDisplayName(db, person.accountId, person.userId, name);
  return name;
}

/**
 * The person's own quiet hours (null: none): instant alerts to them, by a rule naming
 * them or to an alert address that is theirs, wait until they end unless the item is
 * urgent. Read in the time zone of each business an alert is about. A refusal names the
 * form field (`quietHours.from` or `quietHours.to`) in quietHoursProblem's words.
 */
export async function setOwnQuietHours(db: Db, person: Person, hours: QuietHours | null): Promise<QuietHours | null> {
  const problem = hours === null ? null : quietHoursProblem(hours);
  if (problem !== null) throw new PeopleRefusal(`Quiet ${problem.field === 'from' ? 'from' : 'until'}: ${problem.message}`, { field: `quietHours.${problem.field}` });
  const kept = hours === null ? null : { from: hours.from, to: hours.to };
  await updateUserQuietHours(db, person.accountId, person.userId, kept);
  return kept;
}

/**
 * A new password for the person signed in, who proves it is them with the current one.
 * Every other browser they are signed in on is signed out; this one stays.
 */
export async function changeOwnPassword(db: Db, person: Person, answer: { current: string; password: string; confirm: string }): Promise<void> {
  const user = await findUserForSignIn(db, person.email);
  if (user === undefined || user.id !== person.userId || !(await verifyPassword(answer.current, user.passwordHash))) {
    throw new PeopleRefusal('Current password: that is not your current password.', { field: 'current' });
  }
  checkNewPassword(answer.password, answer.confirm, person.email);
  const passwordHash = await hashPassword(answer.password);
  await db.transaction().execute(async (tx) => {
    await updateUserPassword(tx, person.userId, passwordHash);
    await deleteOtherSessionsOfUser(tx, person.userId, person.sessionId);
  });
}

/** Ends every session of the person, the current one included: a lost phone, a shared computer. */
export async function signOutEverywhere(db: Db, person: Person): Promise<number> {
  return deleteSessionsOfUser(db, person.userId);
}
