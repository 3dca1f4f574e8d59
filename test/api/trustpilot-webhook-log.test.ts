import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, expect, test } from 'vitest';
import { buildApp } from '../../services/api/app.ts';
import { createApiHarness } from '../support/api.ts';

const SECRET = 'tpwh_logcheck_0123456789abcdef012345';
const h = await createApiHarness();
afterAll(() => h.close());

test("the webhook's secret URL never reaches the log, where other requests' URLs do", async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await buildApp({ db: h.db, queues: h.queues, config: h.config, credentialsKey: h.credentialsKey, logger: pino({ level: 'info' }, stream) });
  try {
    const created = await app.inject({
      method: 'POST',
      url: `/v1/businesses/${h.tenant.businessId}/sources`,
      headers: { authorization: `Bearer ${h.tenant.key}` },
      payload: { type: 'trustpilot', config: { businessUnitId: '5a1b2c3d4e5f60718293a4b5' }, credentials: { apiKey: 'k', webhookSecret: SECRET } },
    });
    expect(created.statusCode).toBe(201);
    const url = `/v1/webhooks/trustpilot/${created.json().id}/${SECRET}`;
    const body = { events: [{ eventName: 'service-review-created', eventData: { id: 'abc123', stars: 2, text: 'Slow.' } }] };
    expect((await app.inject({ method: 'POST', url, payload: body })).statusCode).toBe(202);
    expect((await app.inject({ method: 'POST', url, payload: { events: 'no' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: `${url}x`, payload: body })).statusCode).toBe(401);
    expect(lines.some((line) => line.includes(`/v1/businesses/${h.tenant.businessId}/sources`))).toBe(true);
    expect(lines.filter((line) => line.includes(SECRET.slice(5)))).toEqual([]);
  } finally {
    await app.close();
  }
});
