import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { changeAccess, removePerson } from '../../services/people/membership.ts';
import { PeopleRefusal } from '../../services/people/people-refusal.ts';
import { personOfSession, startSession } from '../../services/people/sessions.ts';
import { createApiHarness, createTenant, type ApiHarness } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addPerson } from '../support/web.ts';

let h: ApiHarness & { testDb: TestDatabase };
const limits = { idleHours: 12, maxDays: 30 };

beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h.close());

describe('people of an account', () => {
  test('a removed person loses every session at once', async () => {
    const person = await addPerson(h.db, h.tenant.accountId, { email: 'gone@bistro.test', role: 'staff' });
    const tokens = [await startSession(h.db, person, limits, 'a'), await startSession(h.db, person, limits, 'b')];
    expect(await personOfSession(h.db, tokens[0]!, limits)).toBeDefined();
    await removePerson(h.db, h.tenant.accountId, person.id);
    for (const token of tokens) expect(await personOfSession(h.db, token, limits)).toBeUndefined();
  });

  test('a change of role or scope applies to sessions already open', async () => {
    const person = await addPerson(h.db, h.tenant.accountId, { email: 'moved@bistro.test', role: 'staff' });
    const token = await startSession(h.db, person, limits, 'a');
    await changeAccess(h.db, h.tenant.accountId, person.id, { role: 'consultant', businessIds: [h.tenant.businessId] });
    expect(await personOfSession(h.db, token, limits)).toMatchObject({ role: 'consultant', businessIds: [h.tenant.businessId] });
  });

  test('the last owner of all businesses can be neither removed nor demoted nor limited', async () => {
    const tenant = await createTenant(h.db, h.credentialsKey, 'Solo');
    const owner = await addPerson(h.db, tenant.accountId, { email: 'solo@owner.test', role: 'owner', displayName: 'Solo Owner' });
    const limitedOwner = await addPerson(h.db, tenant.accountId, { email: 'limited@owner.test', role: 'owner', businessIds: [tenant.businessId] });
    await expect(removePerson(h.db, tenant.accountId, owner.id)).rejects.toThrow("Solo Owner is the account's last owner of all businesses and cannot be removed");
    await expect(changeAccess(h.db, tenant.accountId, owner.id, { role: 'staff' })).rejects.toThrow(PeopleRefusal);
    await expect(changeAccess(h.db, tenant.accountId, owner.id, { role: 'owner', businessIds: [tenant.businessId] })).rejects.toThrow('cannot be given another role');
    // An owner limited to some businesses does not count; one of all businesses does.
    await changeAccess(h.db, tenant.accountId, limitedOwner.id, { role: 'owner', businessIds: [] });
    await changeAccess(h.db, tenant.accountId, owner.id, { role: 'staff' });
    await expect(removePerson(h.db, tenant.accountId, limitedOwner.id)).rejects.toThrow('last owner');
  });

  test('two owners removing each other at the same moment leave one of them', async () => {
    const tenant = await createTenant(h.db, h.credentialsKey, 'Duo');
    const a = await addPerson(h.db, tenant.accountId, { email: 'a@duo.test', role: 'owner' });
    const b = await addPerson(h.db, tenant.accountId, { email: 'b@duo.test', role: 'owner' });
    const outcomes = await Promise.allSettled([removePerson(h.db, tenant.accountId, a.id), removePerson(h.db, tenant.accountId, b.id)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await h.db.selectFrom('users').select('id').where('account_id', '=', tenant.accountId).execute()).toHaveLength(1);
  });

  test("another account's person and business are out of reach", async () => {
    const theirs = await addPerson(h.db, h.stranger.accountId, { email: 'theirs@mallory.test', role: 'staff' });
    await expect(removePerson(h.db, h.tenant.accountId, theirs.id)).rejects.toThrow('not a member of this account');
    const ours = await addPerson(h.db, h.tenant.accountId, { email: 'ours@bistro.test', role: 'staff' });
    await expect(changeAccess(h.db, h.tenant.accountId, ours.id, { role: 'staff', businessIds: [h.stranger.businessId] })).rejects.toThrow('not a business of this account');
  });
});
