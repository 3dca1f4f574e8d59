import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ConnectorError } from '../../connectors/contract.ts';
import { createRequestBudget } from '../../services/sources/http/request-budget.ts';
import { testRedis } from '../support/redis.ts';

// Two connections stand for two worker processes sharing one Redis.
let first: Redis;
let second: Redis;
let prefix: string;

beforeAll(() => {
  const redis = testRedis();
  prefix = redis.prefix;
  first = new Redis(redis.url);
  second = new Redis(redis.url);
});

afterAll(async () => {
  await Promise.all([first.quit(), second.quit()]);
});

async function takeAll(take: () => Promise<void>, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await take();
}

test('two workers draw from one allowance, and the one that runs out waits for the next window', async () => {
  const limits = { requests: 4, windowSeconds: 2 };
  const a = createRequestBudget(first, `${prefix}:shared`);
  const b = createRequestBudget(second, `${prefix}:shared`);
  await takeAll(() => a.take('bluesky', limits), 2);
  await takeAll(() => b.take('bluesky', limits), 2);
  expect(await first.get(`${prefix}:shared:bluesky`)).toBe('4');

  let fifthSent = false;
  const fifth = a.take('bluesky', limits).then(() => {
    fifthSent = true;
  });
  await sleep(200);
  expect(fifthSent).toBe(false);
  await fifth;
  // Admitted as the first request of a fresh window.
  expect(await first.get(`${prefix}:shared:bluesky`)).toBe('1');
});

test('platforms have separate allowances', async () => {
  const budget = createRequestBudget(first, `${prefix}:platforms`);
  const limits = { requests: 1, windowSeconds: 60 };
  await budget.take('google_places', limits);
  await budget.take('bluesky', limits);
});

test('a wait longer than the maximum is handed back as rate_limited', async () => {
  const a = createRequestBudget(first, `${prefix}:long`, { maxWaitMs: 1_000 });
  const b = createRequestBudget(second, `${prefix}:long`, { maxWaitMs: 1_000 });
  const limits = { requests: 2, windowSeconds: 300 };
  await a.take('bluesky', limits);
  await b.take('bluesky', limits);
  const error = await b.take('bluesky', limits).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConnectorError);
  expect(error).toMatchObject({ kind: 'rate_limited', message: 'bluesky: the budget of 2 requests per 300 s is used up' });
  const wait = (error as ConnectorError).retryAfterMs ?? 0;
  expect(wait).toBeGreaterThan(295_000);
  expect(wait).toBeLessThanOrEqual(300_000);
});

test('the window resets by itself: the counter expires in Redis', async () => {
  const budget = createRequestBudget(first, `${prefix}:expiry`);
  await budget.take('bluesky', { requests: 5, windowSeconds: 30 });
  const ttl = await first.pttl(`${prefix}:expiry:bluesky`);
  expect(ttl).toBeGreaterThan(25_000);
  expect(ttl).toBeLessThanOrEqual(30_000);
});

test('a waiting request stops when the poll is cancelled', async () => {
  const budget = createRequestBudget(first, `${prefix}:cancel`);
  const limits = { requests: 1, windowSeconds: 20 };
  await budget.take('bluesky', limits);
  const controller = new AbortController();
  const waiting = budget.take('bluesky', limits, controller.signal).catch((caught: unknown) => caught);
  setTimeout(() => controller.abort(), 50);
  const error = await waiting;
  expect((error as Error).name).toBe('AbortError');
});
