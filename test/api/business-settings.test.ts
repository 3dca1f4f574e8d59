import { afterAll, describe, expect, test } from 'vitest';
import { addKey, createApiHarness } from '../support/api.ts';

const h = await createApiHarness();
afterAll(() => h.close());

const patch = (id: string, payload: unknown, key?: string) =>
  h.call({ method: 'PATCH', url: `/v1/businesses/${id}`, payload: payload as object, ...(key !== undefined && { key }) });

describe('PATCH /v1/businesses/:id', () => {
  test('sets time zone, opening hours (sorted), SLA, name and deduplicated alert emails', async () => {
    const response = await patch(h.tenant.businessId, {
      name: ' Chez Alice ',
      timezone: 'europe/paris',
      slaHours: 48,
      alertEmails: ['a@example.com', 'A@example.com', 'b@example.com'],
      openingHours: { mon: [{ open: '14:00', close: '18:00' }, { open: '09:00', close: '12:30' }], sat: [{ open: '10:00', close: '24:00' }] },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: h.tenant.businessId,
      name: 'Chez Alice',
      timezone: 'Europe/Paris',
      slaHours: 48,
      alertEmails: ['a@example.com', 'b@example.com'],
      openingHours: { mon: [{ open: '09:00', close: '12:30' }, { open: '14:00', close: '18:00' }], sat: [{ open: '10:00', close: '24:00' }] },
      digest: { time: '08:00', weekday: 'monday' },
      weeklyReport: true,
      createdAt: expect.any(String),
    });
    const row = await h.db.selectFrom('businesses').selectAll().where('id', '=', h.tenant.businessId).executeTakeFirstOrThrow();
    expect(row.sla_hours).toBe(48);
    expect(row.opening_hours).toEqual({ mon: [{ open: '09:00', close: '12:30' }, { open: '14:00', close: '18:00' }], sat: [{ open: '10:00', close: '24:00' }] });
  });

  test('changes only the fields given; null clears opening hours', async () => {
    const response = await patch(h.tenant.businessId, { openingHours: null });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Chez Alice', timezone: 'Europe/Paris', slaHours: 48, openingHours: null });
  });

  test('sets when digests go out and turns the weekly report off; a part left out stays as it was', async () => {
    const response = await patch(h.tenant.businessId, { digest: { time: '07:30', weekday: 'friday' }, weeklyReport: false });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ digest: { time: '07:30', weekday: 'friday' }, weeklyReport: false });
    const row = await h.db.selectFrom('businesses').select(['digest_time', 'digest_weekday', 'weekly_report']).where('id', '=', h.tenant.businessId).executeTakeFirstOrThrow();
    expect(row).toEqual({ digest_time: '07:30', digest_weekday: 'friday', weekly_report: false });

    const timeOnly = await patch(h.tenant.businessId, { digest: { time: '23:59' } });
    expect(timeOnly.json()).toMatchObject({ digest: { time: '23:59', weekday: 'friday' }, weeklyReport: false });
    const back = await patch(h.tenant.businessId, { digest: { time: '08:00', weekday: 'monday' }, weeklyReport: true });
    expect((await h.call({ method: 'GET', url: `/v1/businesses/${h.tenant.businessId}` })).json()).toEqual(back.json());
    expect(back.json()).toMatchObject({ digest: { time: '08:00', weekday: 'monday' }, weeklyReport: true });
  });

  test('a digest time out of the clock is refused in words naming body.digest.time; nothing is stored', async () => {
    for (const time of ['24:00', '8:00', '08:60', 'noon', '']) {
      const response = await patch(h.tenant.businessId, { digest: { time } });
      expect(response.statusCode, time).toBe(400);
      expect(response.json().error).toEqual({ code: 'validation_failed', field: 'body.digest.time', message: `body.digest.time must be a time "HH:MM" between 00:00 and 23:59, got "${time}"` });
    }
    const row = await h.db.selectFrom('businesses').select('digest_time').where('id', '=', h.tenant.businessId).executeTakeFirstOrThrow();
    expect(row.digest_time).toBe('08:00');
  });

  test.each([
    [{}, 'body'],
    [{ digest: {} }, 'body.digest'],
    [{ digest: { weekday: 'mon' } }, 'body.digest.weekday'],
    [{ digest: { weekday: 'Monday' } }, 'body.digest.weekday'],
    [{ digest: { time: 800 } }, 'body.digest.time'],
    [{ digest: { time: '08:00', hour: 8 } }, 'body.digest.hour'],
    [{ weeklyReport: 'no' }, 'body.weeklyReport'],
    [{ weeklyReport: null }, 'body.weeklyReport'],
    [{ slaHours: 0 }, 'body.slaHours'],
    [{ slaHours: 721 }, 'body.slaHours'],
    [{ slaHours: 1.5 }, 'body.slaHours'],
    [{ timezone: 'Mars/Olympus' }, 'body.timezone'],
    [{ name: '  ' }, 'body.name'],
    [{ alertEmails: [] }, 'body.alertEmails'],
    [{ alertEmails: ['not-an-email'] }, 'body.alertEmails[0]'],
    [{ openingHours: { mon: [{ open: '9:00', close: '17:00' }] } }, 'body.openingHours.mon[0].open'],
    [{ openingHours: { mon: [{ open: '09:00', close: '25:00' }] } }, 'body.openingHours.mon[0].close'],
    [{ openingHours: { mon: [{ open: '18:00', close: '09:00' }] } }, 'body.openingHours.mon[0]'],
    [{ openingHours: { tue: [{ open: '09:00', close: '13:00' }, { open: '12:00', close: '17:00' }] } }, 'body.openingHours.tue'],
    [{ openingHours: { monday: [] } }, 'body.openingHours'],
    [{ color: 'red' }, 'body'],
  ])('%j is refused naming %s', async (payload, field) => {
    const response = await patch(h.tenant.businessId, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: expect.stringContaining(field) });
  });

  test('another tenant\'s business, an out-of-scope one and a malformed id are 404', async () => {
    expect((await patch(h.stranger.businessId, { slaHours: 2 })).statusCode).toBe(404);
    expect((await patch('nope', { slaHours: 2 })).statusCode).toBe(404);
    const scoped = await addKey(h.db, h.tenant.accountId, 'owner', [h.stranger.businessId]);
    expect((await patch(h.tenant.businessId, { slaHours: 2 }, scoped.key)).statusCode).toBe(404);
    const stranger = await h.db.selectFrom('businesses').select('sla_hours').where('id', '=', h.stranger.businessId).executeTakeFirstOrThrow();
    expect(stranger.sla_hours).toBe(24);
  });

  test('staff and consultant keys may not change a business', async () => {
    for (const role of ['staff', 'consultant'] as const) {
      const { key } = await addKey(h.db, h.tenant.accountId, role);
      const response = await patch(h.tenant.businessId, { slaHours: 2 }, key);
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
  });
});
