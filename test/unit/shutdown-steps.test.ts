import { expect, test } from 'vitest';
import { runShutdown } from '../../services/runtime/shutdown-steps.ts';

test('a step that hangs is abandoned and named; the others still run, in reverse order of start, within the bound', async () => {
  const stopped: string[] = [];
  const errors: string[] = [];
  const step = (name: string, stop: () => Promise<void>, last = false) => ({ name, last, stop: async () => { await stop(); stopped.push(name); } });
  const unfinished = await runShutdown(
    [
      step('embedded servers', async () => undefined, true),
      step('database connections', async () => undefined),
      step('workers', () => new Promise<void>(() => undefined)),
      step('mail transport', async () => { throw new Error('smtp pool gone'); }),
      step('API', async () => undefined),
    ],
    600,
    (name) => errors.push(name),
  );
  expect(unfinished).toEqual(['workers']);
  expect(errors).toEqual(['mail transport']);
  expect(stopped).toEqual(['API', 'database connections', 'embedded servers']);
});

test('nothing hangs: nothing is named', async () => {
  expect(await runShutdown([{ name: 'only', stop: async () => undefined }], 1000, () => undefined)).toEqual([]);
});
