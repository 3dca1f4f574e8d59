import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { signWebhook } from '../../connectors/webhook/signature.ts';
import { addChannel } from '../../services/alerts/channel-changes.ts';
import { addKey, createApiHarness } from '../support/api.ts';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-channels-'));
const h = await createApiHarness({ config: { dataDir } });
afterAll(async () => {
  await h.close();
  await rm(dataDir, { recursive: true, force: true });
});
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  nock.cleanAll();
});

const SLACK_URL = 'https://hooks.slack.com/services/T0000/B0000/slackSecretPath12345678';
const TEAMS_URL = 'https://prod-07.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=teamsSig0123456789abcdef';
const NTFY_URL = 'https://ntfy.sh/earshot-topic-q8v2m7k4x9';
const WEBHOOK_SECRET = 'whsec-0123456789abcdefghijklmnop';
const NTFY_TOKEN = 'tk_ntfyToken0123456789';
/** Every secret given to any channel here: no response may ever contain one. */
const SECRETS = [SLACK_URL, new URL(SLACK_URL).pathname, TEAMS_URL, 'teamsSig0123456789abcdef', NTFY_URL, 'earshot-topic-q8v2m7k4x9', WEBHOOK_SECRET, NTFY_TOKEN];

function expectNoSecret(response: LightMyRequestResponse): void {
  for (const secret of SECRETS) expect(response.body, `${response.statusCode} leaked ${secret}`).not.toContain(secret);
}

let counter = 0;
function uniqueName(base: string): string {
  counter += 1;
  return `${base} ${counter}`;
}

async function call(options: Parameters<typeof h.call>[0]): Promise<LightMyRequestResponse> {
  const response = await h.call(options);
  expectNoSecret(response);
  return response;
}

async function create(payload: Record<string, unknown>, key?: string): Promise<LightMyRequestResponse> {
  return call({ method: 'POST', url: '/v1/channels', payload, ...(key !== undefined && { key }) });
}

async function createdId(payload: Record<string, unknown>): Promise<string> {
  const response = await create(payload);
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

const slackChannel = () => ({ type: 'slack', name: uniqueName('Kitchen Slack'), config: { webhookUrl: SLACK_URL } });
const webhookChannel = (url = 'https://receiver.example/earshot') => ({
  type: 'webhook',
  name: uniqueName('Ops webhook'),
  config: { url },
  credentials: { secret: WEBHOOK_SECRET },
});

describe('adding channels', () => {
  test('each type is created, its secrets shown only as set with a hint', async () => {
    const slack = await create(slackChannel());
    expect(slack.statusCode, slack.body).toBe(201);
    expect(slack.json()).toMatchObject({
      type: 'slack',
      config: { webhookUrl: { set: true, hint: 'https://hooks.slack.com/…/5678' } },
      credentials: {},
      health: { status: 'ok', lastError: null, lastSuccessAt: null },
    });

    const teams = await create({ type: 'teams', name: uniqueName('Managers Teams'), config: { webhookUrl: TEAMS_URL } });
    expect(teams.statusCode, teams.body).toBe(201);
    expect(teams.json().config.webhookUrl).toEqual({ set: true, hint: 'https://prod-07.westeurope.logic.azure.com/…/cdef' });

    const webhook = await create(webhookChannel());
    expect(webhook.statusCode, webhook.body).toBe(201);
    // The receiver's URL is not a secret (the signing secret protects it); the secret is masked without a hint.
    expect(webhook.json()).toMatchObject({ config: { url: 'https://receiver.example/earshot' }, credentials: { secret: { set: true, hint: null } } });

    const ntfy = await create({ type: 'ntfy', name: uniqueName('Phones'), config: { topicUrl: NTFY_URL }, credentials: { accessToken: NTFY_TOKEN } });
    expect(ntfy.statusCode, ntfy.body).toBe(201);
    expect(ntfy.json()).toMatchObject({
      config: { topicUrl: { set: true, hint: 'https://ntfy.sh/…/k4x9' } },
      credentials: { accessToken: { set: true, hint: null } },
    });

    const email = await create({ type: 'email', name: uniqueName('Managers'), config: { to: [' boss@example.com', 'deputy@example.com'] } });
    expect(email.statusCode, email.body).toBe(201);
    expect(email.json()).toMatchObject({ type: 'email', config: { to: ['boss@example.com', 'deputy@example.com'] }, credentials: {} });
  });

  test('a secret URL too short to spare four characters gets no hint', async () => {
    const ntfy = await create({ type: 'ntfy', name: uniqueName('Short topic'), config: { topicUrl: 'https://ntfy.example/alerts-xy' } });
    expect(ntfy.statusCode, ntfy.body).toBe(201);
    expect(ntfy.json().config.topicUrl).toEqual({ set: true, hint: null });
    expect(ntfy.body).not.toContain('alerts-xy');
  });

  test('an optional secret left out is not shown as set', async () => {
    const ntfy = await create({ type: 'ntfy', name: uniqueName('Open topic'), config: { topicUrl: NTFY_URL } });
    expect(ntfy.statusCode, ntfy.body).toBe(201);
    expect(ntfy.json().credentials).toEqual({});
  });

  test('secrets are stored sealed: the database never holds them in the clear', async () => {
    const id = await createdId(slackChannel());
    const row = await h.db.selectFrom('alert_channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.config).toEqual({});
    expect(row.credentials).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain('slackSecretPath');
  });

  test('list and get show the same masked channels, by name', async () => {
    const id = await createdId({ ...slackChannel(), name: 'AAA first by name' });
    const list = await call({ method: 'GET', url: '/v1/channels' });
    expect(list.statusCode).toBe(200);
    const channels = list.json().channels as Array<{ id: string; name: string }>;
    expect(channels[0]!.id).toBe(id);
    expect(channels.map((channel) => channel.name)).toEqual([...channels.map((channel) => channel.name)].sort());
    const one = await call({ method: 'GET', url: `/v1/channels/${id}` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(channels[0]);
  });

  test.each([
    [{ type: 'slack', name: 'No URL', config: {} }, 'body.config.webhookUrl'],
    [{ type: 'slack', name: 'Not a URL', config: { webhookUrl: 'hooks.slack.com/x' } }, 'body.config.webhookUrl'],
    [{ type: 'teams', name: 'FTP', config: { webhookUrl: 'ftp://example.com/hook' } }, 'body.config.webhookUrl'],
    [{ type: 'ntfy', name: 'No topic', config: {} }, 'body.config.topicUrl'],
    [{ type: 'webhook', name: 'Short secret', config: { url: 'https://receiver.example/x' }, credentials: { secret: 'short' } }, 'body.credentials.secret'],
    [{ type: 'webhook', name: 'No secret', config: { url: 'https://receiver.example/x' } }, 'body.credentials.secret'],
    [{ type: 'email', name: 'Bad address', config: { to: ['boss@example.com', 'not an address'] } }, 'body.config.to[1]'],
    [{ type: 'email', name: 'Nobody', config: { to: [] } }, 'body.config.to'],
    [{ type: 'slack', name: 'Extra', config: { webhookUrl: SLACK_URL, channel: '#general' } }, 'body.config.channel'],
    [{ type: 'pigeon', name: 'Bird', config: {} }, 'body.type'],
    [{ type: 'slack', name: '   ', config: { webhookUrl: SLACK_URL } }, 'body.name'],
    [{ type: 'slack', config: { webhookUrl: SLACK_URL } }, 'body.name'],
  ])('bad input is a 400 naming the field: %j', async (payload, field) => {
    const response = await create(payload);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field });
    expect(response.json().error.message).toContain(field);
  });

  test('a name already used in the account, in any case, is a 400 naming body.name; another account may use it', async () => {
    const name = uniqueName('Front of house');
    await createdId({ ...slackChannel(), name });
    const again = await create({ ...slackChannel(), name: name.toUpperCase() });
    expect(again.statusCode, again.body).toBe(400);
    expect(again.json().error.field).toBe('body.name');
    const stranger = await create({ ...slackChannel(), name }, h.stranger.key);
    expect(stranger.statusCode, stranger.body).toBe(201);
  });

  test('a URL pointing at this machine or a private network is refused unless private URLs are allowed', async () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://10.0.0.5/hook', 'http://[::1]/hook', 'http://localhost/hook']) {
      const response = await create({ type: 'slack', name: uniqueName('Private'), config: { webhookUrl: url } });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
      expect(response.json().error.field).toBe('body.config.webhookUrl');
      expect(response.json().error.message).toContain('EARSHOT_ALLOW_PRIVATE_URLS');
    }
    const store = { db: h.db, credentialsKey: h.credentialsKey, allowPrivateUrls: true };
    const allowed = await addChannel(store, h.tenant.accountId, { type: 'webhook', name: uniqueName('Intranet'), config: { url: 'http://10.0.0.5/hook' }, credentials: { secret: WEBHOOK_SECRET } });
    expect(allowed.channel.config).toEqual({ url: 'http://10.0.0.5/hook' });
  });
});

describe('changing channels', () => {
  test('a rename keeps the secrets, and the hint still shows', async () => {
    const id = await createdId(slackChannel());
    const name = uniqueName('Renamed');
    const response = await call({ method: 'PATCH', url: `/v1/channels/${id}`, payload: { name } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ name, config: { webhookUrl: { set: true, hint: 'https://hooks.slack.com/…/5678' } } });
  });

  test('a config without its secret field keeps the stored one, and the test message goes to it', async () => {
    const id = await createdId(slackChannel());
    const patched = await call({ method: 'PATCH', url: `/v1/channels/${id}`, payload: { config: {} } });
    expect(patched.statusCode, patched.body).toBe(200);
    const slack = nock('https://hooks.slack.com').post(new URL(SLACK_URL).pathname).reply(200, 'ok');
    const sent = await call({ method: 'POST', url: `/v1/channels/${id}/test` });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(slack.isDone()).toBe(true);
  });

  test('a PATCH without credentials keeps them: the webhook still signs with the stored secret', async () => {
    const id = await createdId(webhookChannel());
    const patched = await call({ method: 'PATCH', url: `/v1/channels/${id}`, payload: { config: { url: 'https://other-receiver.example/in' } } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ config: { url: 'https://other-receiver.example/in' }, credentials: { secret: { set: true, hint: null } } });

    let seen: { headers: Record<string, string>; body: string } | undefined;
    nock('https://other-receiver.example')
      .post('/in')
      .reply(async (incoming: Request) => {
        seen = { headers: Object.fromEntries(incoming.headers), body: await incoming.text() };
        return [204, ''];
      });
    const sent = await call({ method: 'POST', url: `/v1/channels/${id}/test` });
    expect(sent.statusCode, sent.body).toBe(200);
    const timestamp = Number(seen!.headers['x-earshot-timestamp']);
    expect(seen!.headers['x-earshot-signature']).toBe(signWebhook(WEBHOOK_SECRET, timestamp, seen!.body));
    expect(JSON.parse(seen!.body)).toMatchObject({ deliveryId: seen!.headers['x-earshot-delivery'] });
  });

  test('new credentials replace the old ones', async () => {
    const id = await createdId(webhookChannel());
    const fresh = 'a-brand-new-secret-0123456789';
    const patched = await call({ method: 'PATCH', url: `/v1/channels/${id}`, payload: { credentials: { secret: fresh } } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.body).not.toContain(fresh);
    let signature: string | undefined;
    let signed = '';
    nock('https://receiver.example')
      .post('/earshot')
      .reply(async (incoming: Request) => {
        signature = incoming.headers.get('x-earshot-signature') ?? undefined;
        signed = `${incoming.headers.get('x-earshot-timestamp')}|${await incoming.text()}`;
        return [200, 'ok'];
      });
    expect((await call({ method: 'POST', url: `/v1/channels/${id}/test` })).statusCode).toBe(200);
    const [timestamp, body] = signed.split(/\|(.*)/s) as [string, string];
    expect(signature).toBe(signWebhook(fresh, Number(timestamp), body));
  });

  test('a bad change is a 400 naming the field and changes nothing', async () => {
    const id = await createdId(slackChannel());
    const response = await call({ method: 'PATCH', url: `/v1/channels/${id}`, payload: { config: { webhookUrl: 'http://192.168.1.10/hook' } } });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.field).toBe('body.config.webhookUrl');
    const after = await call({ method: 'GET', url: `/v1/channels/${id}` });
    expect(after.json().config.webhookUrl.hint).toBe('https://hooks.slack.com/…/5678');
    const empty = await call({ method: 'PATCH', url: `/v1/channels/${id}`, payload: {} });
    expect(empty.statusCode).toBe(400);
  });

  test('delete removes the channel', async () => {
    const id = await createdId(slackChannel());
    expect((await call({ method: 'DELETE', url: `/v1/channels/${id}` })).statusCode).toBe(204);
    expect((await call({ method: 'GET', url: `/v1/channels/${id}` })).statusCode).toBe(404);
    expect((await call({ method: 'DELETE', url: `/v1/channels/${id}` })).statusCode).toBe(404);
  });
});

describe('sending a test message', () => {
  test('Slack accepts it: 200, a Block Kit message with a text fallback, and the channel is healthy', async () => {
    const id = await createdId(slackChannel());
    let posted: { blocks?: unknown[]; text?: string } | undefined;
    nock('https://hooks.slack.com')
      .post(new URL(SLACK_URL).pathname)
      .reply(async (incoming: Request) => {
        posted = JSON.parse(await incoming.text());
        return [200, 'ok'];
      });
    const response = await call({ method: 'POST', url: `/v1/channels/${id}/test` });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ sent: true, receipt: 'HTTP 200', health: { status: 'ok', lastError: null } });
    expect(response.json().health.lastSuccessAt).not.toBeNull();
    expect(posted?.text).toContain('test');
    expect(Array.isArray(posted?.blocks)).toBe(true);
  });

  test('Slack refuses a revoked webhook: 502 channel_failed with its error, and the channel needs attention until its settings change', async () => {
    const id = await createdId(slackChannel());
    nock('https://hooks.slack.com').post(new URL(SLACK_URL).pathname).reply(404, 'no_service');
    const response = await call({ method: 'POST', url: `/v1/channels/${id}/test` });
    expect(response.statusCode, response.body).toBe(502);
    expect(response.json().error.code).toBe('channel_failed');
    expect(response.json().error.message).toMatch(/404/);
    const after = (await call({ method: 'GET', url: `/v1/channels/${id}` })).json();
    expect(after.health.status).toBe('needs_attention');
    expect(after.health.lastError.message).toMatch(/404/);

    const fixed = await call({ method: 'PATCH', url: `/v1/channels/${id}`, payload: { config: { webhookUrl: `${SLACK_URL}` } } });
    expect(fixed.json().health.status).toBe('ok');
  });

  test('a receiver that is down: 502, the error recorded, but the channel is not marked as misconfigured', async () => {
    const id = await createdId(webhookChannel('https://down.example/hook'));
    nock('https://down.example').post('/hook').reply(503, 'maintenance');
    const response = await call({ method: 'POST', url: `/v1/channels/${id}/test` });
    expect(response.statusCode, response.body).toBe(502);
    expect(response.json().error.code).toBe('channel_failed');
    const after = (await call({ method: 'GET', url: `/v1/channels/${id}` })).json();
    expect(after.health).toMatchObject({ status: 'ok', lastError: { message: expect.stringMatching(/503/) }, lastSuccessAt: null });
  });

  test('an error quoting the secret URL is scrubbed before it is answered or stored', async () => {
    const id = await createdId(slackChannel());
    nock('https://hooks.slack.com').post(new URL(SLACK_URL).pathname).reply(400, `invalid_payload for ${SLACK_URL}`);
    const response = await call({ method: 'POST', url: `/v1/channels/${id}/test` });
    expect(response.statusCode, response.body).toBe(502);
    const row = await h.db.selectFrom('alert_channels').select('last_error').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.last_error).not.toContain('slackSecretPath');
  });

  test('an email channel writes the test email to the outbox', async () => {
    const id = await createdId({ type: 'email', name: uniqueName('Email list'), config: { to: ['boss@example.com'] } });
    const response = await call({ method: 'POST', url: `/v1/channels/${id}/test` });
    expect(response.statusCode, response.body).toBe(200);
    const outbox = path.join(dataDir, 'outbox');
    const files = await readdir(outbox);
    expect(files).toHaveLength(1);
    const eml = await readFile(path.join(outbox, files[0]!), 'utf8');
    expect(eml).toContain('To: boss@example.com');
  });

  test('a ciphertext moved onto another channel does not open: 502 and the channel needs attention', async () => {
    const from = await createdId(slackChannel());
    const to = await createdId(webhookChannel());
    const sealed = await h.db.selectFrom('alert_channels').select('credentials').where('id', '=', from).executeTakeFirstOrThrow();
    await h.db.updateTable('alert_channels').set({ credentials: sealed.credentials }).where('id', '=', to).execute();
    const response = await call({ method: 'POST', url: `/v1/channels/${to}/test` });
    expect(response.statusCode, response.body).toBe(502);
    expect(response.json().error.message).toContain('EARSHOT_SECRET');
    expect((await call({ method: 'GET', url: `/v1/channels/${to}` })).json()).toMatchObject({
      health: { status: 'needs_attention' },
      credentials: { secret: { set: true, hint: null } },
    });
  });
});

describe('who may', () => {
  test("another account's channel answers 404 exactly like an unknown id", async () => {
    const theirs = await create(slackChannel(), h.stranger.key);
    const id = theirs.json().id as string;
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [method, suffix, payload] of [
      ['GET', '', undefined],
      ['PATCH', '', { name: 'Mine now' }],
      ['DELETE', '', undefined],
      ['POST', '/test', undefined],
    ] as const) {
      const stranger = await call({ method, url: `/v1/channels/${id}${suffix}`, ...(payload && { payload }) });
      const missing = await call({ method, url: `/v1/channels/${unknown}${suffix}`, ...(payload && { payload }) });
      expect(stranger.statusCode, `${method} ${suffix}`).toBe(404);
      expect(stranger.json()).toEqual(missing.json());
    }
    expect((await call({ method: 'GET', url: '/v1/channels' })).json().channels.map((channel: { id: string }) => channel.id)).not.toContain(id);
    expect((await call({ method: 'GET', url: `/v1/channels/not-a-uuid` })).statusCode).toBe(404);
  });

  test('staff and consultant keys are refused (403); a key limited to some businesses may read but not change', async () => {
    const id = await createdId(slackChannel());
    for (const role of ['staff', 'consultant'] as const) {
      const { key } = await addKey(h.db, h.tenant.accountId, role);
      expect((await create(slackChannel(), key)).statusCode).toBe(403);
      expect((await call({ method: 'GET', url: '/v1/channels', key })).statusCode).toBe(403);
      expect((await call({ method: 'GET', url: `/v1/channels/${id}`, key })).statusCode).toBe(403);
      expect((await call({ method: 'POST', url: `/v1/channels/${id}/test`, key })).statusCode).toBe(403);
    }
    const { key: limited } = await addKey(h.db, h.tenant.accountId, 'owner', [h.tenant.businessId]);
    expect((await call({ method: 'GET', url: `/v1/channels/${id}`, key: limited })).statusCode).toBe(200);
    expect((await create(slackChannel(), limited)).statusCode).toBe(403);
    expect((await call({ method: 'PATCH', url: `/v1/channels/${id}`, key: limited, payload: { name: 'x' } })).statusCode).toBe(403);
    expect((await call({ method: 'DELETE', url: `/v1/channels/${id}`, key: limited })).statusCode).toBe(403);
  });
});
