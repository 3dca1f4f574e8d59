import { afterAll, beforeAll, expect, test } from 'vitest';
import { connectors } from '../../connectors/registry.ts';
import { createApiHarness, type ApiHarness } from '../support/api.ts';

let h: ApiHarness;

beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h.close());

interface TypeBody {
  type: string;
  reply: { canUpdate: boolean; canDelete: boolean; credentialsNeeded: string[]; setUp: string; unit: string | null; maxLength?: number } | null;
}

async function types(): Promise<TypeBody[]> {
  const response = await h.call({ method: 'GET', url: '/v1/source-types' });
  expect(response.statusCode).toBe(200);
  return response.json().types;
}

test('GET /v1/source-types says, per type, whether Earshot can reply there, with the limit as the platform counts it', async () => {
  const byType = new Map((await types()).map((type) => [type.type, type.reply]));
  expect(byType.get('google_business')).toEqual({ canUpdate: true, canDelete: true, credentialsNeeded: [], setUp: expect.stringContaining('verified'), unit: 'bytes', maxLength: 4096 });
  expect(byType.get('google_play')).toMatchObject({ canUpdate: true, canDelete: false, credentialsNeeded: [], unit: 'characters', maxLength: 350 });
  expect(byType.get('trustpilot')).toMatchObject({ canUpdate: true, credentialsNeeded: ['apiSecret', 'businessUserId'], setUp: expect.stringContaining('API secret') });
  // Platforms without a reply API: the web app offers the manual way.
  for (const type of ['yelp', 'google_places', 'reddit', 'hackernews', 'rss', 'webhook']) expect(byType.get(type), type).toBeNull();
});

test('every connector with reply is described from the connector itself; reply credentials are listed among its credentials', async () => {
  for (const type of await types()) {
    const connector = connectors[type.type]!;
    expect(type.reply === null, type.type).toBe(connector.reply === undefined);
    if (type.reply === null) continue;
    expect(type.reply.credentialsNeeded).toEqual([...connector.reply!.credentialsNeeded]);
    for (const key of type.reply.credentialsNeeded) expect(Object.keys(connector.credentialsSchema), type.type).toContain(key);
    // A limit the platform tells per source (a Mastodon instance's) has neither unit nor length here.
    expect(type.reply.unit === null, type.type).toBe(type.reply.maxLength === undefined);
  }
});
