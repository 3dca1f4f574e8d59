import { expect, test } from 'vitest';
import { EventBatches } from '../../services/streams/event-batches.ts';

const limits = { maxEvents: 3, maxWaitMs: 200 };

test('a full batch is handed out at once', async () => {
  const batches = new EventBatches<number>(limits);
  for (const n of [1, 2, 3, 4]) batches.push(n);
  const started = Date.now();
  expect(await batches.take(new AbortController().signal)).toEqual([1, 2, 3]);
  expect(Date.now() - started).toBeLessThan(100);
  expect(batches.size).toBe(1);
});

test('a partial batch waits until its first event is maxWaitMs old', async () => {
  const batches = new EventBatches<number>(limits);
  const started = Date.now();
  const taken = batches.take(new AbortController().signal);
  setTimeout(() => batches.push(1), 50);
  setTimeout(() => batches.push(2), 100);
  expect(await taken).toEqual([1, 2]);
  expect(Date.now() - started).toBeGreaterThanOrEqual(240);
});

test('the rest of a backlog has waited already and goes out without delay', async () => {
  const batches = new EventBatches<number>(limits);
  for (const n of [1, 2, 3, 4]) batches.push(n);
  await new Promise((resolve) => setTimeout(resolve, limits.maxWaitMs));
  await batches.take(new AbortController().signal);
  const started = Date.now();
  expect(await batches.take(new AbortController().signal)).toEqual([4]);
  expect(Date.now() - started).toBeLessThan(100);
});

test('an abort ends the wait with nothing; what waits stays for drain, in batches', async () => {
  const batches = new EventBatches<number>(limits);
  const abort = new AbortController();
  const taken = batches.take(abort.signal);
  batches.push(1);
  abort.abort();
  expect(await taken).toEqual([]);
  for (const n of [2, 3, 4]) batches.push(n);
  expect(batches.drain()).toEqual([[1, 2, 3], [4]]);
  expect(batches.size).toBe(0);
});
