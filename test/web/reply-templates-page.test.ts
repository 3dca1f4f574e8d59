import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listReplyTemplates } from '../../db/repositories/reply-templates.ts';
import { createApiHarness, type ApiHarness } from '../support/api.ts';
import type { TestDatabase } from '../support/database.ts';
import { addPerson, signInWithForm, type WebSession } from '../support/web.ts';

let h: ApiHarness & { testDb: TestDatabase };
let owner: WebSession;
let staff: WebSession;

beforeAll(async () => {
  h = await createApiHarness();
  await addPerson(h.db, h.tenant.accountId, { email: 'olive@bistro.test', role: 'owner' });
  await addPerson(h.db, h.tenant.accountId, { email: 'sam@bistro.test', role: 'staff' });
  owner = await signInWithForm(h, 'olive@bistro.test');
  staff = await signInWithForm(h, 'sam@bistro.test');
});
afterAll(() => h.close());

const page = () => `/businesses/${h.tenant.businessId}`;
const templates = () => listReplyTemplates(h.db, { accountId: h.tenant.accountId, businessIds: null }, h.tenant.businessId);

describe('reply templates on the business settings page', () => {
  test('an owner adds, changes and deletes a template', async () => {
    const empty = await owner.get(page());
    expect(empty.body).toContain('<h2 id="templates-title">Reply templates</h2>');
    expect(empty.body).toContain('No templates yet.');

    const added = await owner.post(`${page()}/reply-templates`, { name: 'Sorry', body: 'Dear {first_name}, sorry.', min: '1', max: '2' });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`${page()}?done=template-added#reply-templates`);
    const [template] = await templates();
    expect(template).toMatchObject({ name: 'Sorry', body: 'Dear {first_name}, sorry.', defaultMinRating: 1, defaultMaxRating: 2 });
    const shown = await owner.get(`${page()}?done=template-added`);
    expect(shown.body).toContain('Template added.');
    expect(shown.body).toContain('offered first for 1–2 ★');

    const saved = await owner.post(`${page()}/reply-templates/${template!.id}`, { name: 'Apology', body: 'Dear {author}', min: '', max: '' });
    expect(saved.statusCode).toBe(303);
    expect(await templates()).toMatchObject([{ name: 'Apology', body: 'Dear {author}', defaultMinRating: null, defaultMaxRating: null }]);

    const deleted = await owner.post(`${page()}/reply-templates/${template!.id}/delete`, {});
    expect(deleted.statusCode).toBe(303);
    expect(await templates()).toEqual([]);
    expect((await owner.post(`${page()}/reply-templates/${template!.id}/delete`, {})).statusCode).toBe(404);
  });

  test('a refused template comes back as typed, the field named and marked', async () => {
    const refused = await owner.post(`${page()}/reply-templates`, { name: 'Odd', body: 'Hi {name}, welcome', min: '3', max: '' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Text: uses {name}, which is not a placeholder');
    expect(refused.body).toMatch(/<textarea id="template-body-new" name="body"[^>]*aria-invalid="true"[^>]*>Hi \{name\}, welcome<\/textarea>/);
    expect(refused.body).toContain('value="Odd"');
    const range = await owner.post(`${page()}/reply-templates`, { name: 'Odd', body: 'Hi', min: '3', max: '' });
    expect(range.body).toContain('Offer first up to: and the other end of the star range go together');
    expect(await templates()).toEqual([]);
  });

  test('staff may not change templates', async () => {
    expect((await staff.get(page())).statusCode).toBe(403);
    expect((await staff.post(`${page()}/reply-templates`, { name: 'Mine', body: 'Hi' })).statusCode).toBe(403);
  });
});
