import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApiHarness } from '../support/api.ts';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-channel-quiet-'));
const h = await createApiHarness({ config: { dataDir } });
beforeAll(() => nock.disableNetConnect());
afterAll(async () => {
  nock.enableNetConnect();
  await h.close();
  await rm(dataDir, { recursive: true, force: true });
});

let counter = 0;
const emailChannel = (extra: Record<string, unknown> = {}) => ({ type: 'email', name: `Night list ${++counter}`, config: { to: ['night@diner.test'] }, ...extra });

async function created(payload: Record<string, unknown>): Promise<{ id: string; quietHours: unknown }> {
  const response = await h.call({ method: 'POST', url: '/v1/channels', payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const patch = (id: string, payload: Record<string, unknown>) => h.call({ method: 'PATCH', url: `/v1/channels/${id}`, payload });
const quietHoursOf = async (id: string) => (await h.call({ method: 'GET', url: `/v1/channels/${id}` })).json().quietHours;

describe("a channel's quiet hours", () => {
  test('are set when the channel is added, shown with it, and none when not given', async () => {
    const night = await created(emailChannel({ quietHours: { from: '22:00', to: '07:00' } }));
    expect(night.quietHours).toEqual({ from: '22:00', to: '07:00' });
    expect(await quietHoursOf(night.id)).toEqual({ from: '22:00', to: '07:00' });
    const list = (await h.call({ method: 'GET', url: '/v1/channels' })).json().channels;
    expect(list.find((channel: { id: string }) => channel.id === night.id).quietHours).toEqual({ from: '22:00', to: '07:00' });

    expect((await created(emailChannel())).quietHours).toBeNull();
    expect((await created(emailChannel({ quietHours: null }))).quietHours).toBeNull();
  });

  test('a change sets, keeps or clears them', async () => {
    const { id } = await created(emailChannel());
    const set = await patch(id, { quietHours: { from: '12:00', to: '14:00' } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ quietHours: { from: '12:00', to: '14:00' }, config: { to: ['night@diner.test'] } });

    // Another change leaves them as they are.
    const renamed = await patch(id, { name: `Lunch list ${++counter}` });
    expect(renamed.json().quietHours).toEqual({ from: '12:00', to: '14:00' });

    const cleared = await patch(id, { quietHours: null });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(await quietHoursOf(id)).toBeNull();
  });

  test.each([
    [{ from: '25:00', to: '07:00' }, 'body.quietHours.from', 'must be a time "HH:MM" between 00:00 and 23:59, got "25:00"'],
    [{ from: '22:00', to: '7am' }, 'body.quietHours.to', 'must be a time "HH:MM" between 00:00 and 23:59, got "7am"'],
    [{ from: '22:00', to: '22:00' }, 'body.quietHours.to', 'must differ from "from"'],
    [{ from: '22:00' }, 'body.quietHours.to', 'body.quietHours.to'],
  ])('%j is a 400 naming the field, on adding and on changing, and changes nothing', async (quietHours, field, words) => {
    const refused = await h.call({ method: 'POST', url: '/v1/channels', payload: emailChannel({ quietHours }) });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'validation_failed', field });
    expect(refused.json().error.message).toContain(field);
    expect(refused.json().error.message).toContain(words);

    const { id } = await created(emailChannel({ quietHours: { from: '23:00', to: '06:00' } }));
    const change = await patch(id, { quietHours });
    expect(change.statusCode, change.body).toBe(400);
    expect(change.json().error).toMatchObject({ code: 'validation_failed', field });
    expect(await quietHoursOf(id)).toEqual({ from: '23:00', to: '06:00' });
  });
});
