import { expect, test } from 'vitest';
import { createResponseFactsCache } from '../../services/response-times/response-facts-cache.ts';
import { appFactsCache } from '../../services/response-times/response-time-figures.ts';

test('the API and the web app of one running app share one facts cache: the one given, or one made once for it', () => {
  const given = createResponseFactsCache();
  expect(appFactsCache({ responseFacts: given })).toBe(given);
  const deps = {};
  const made = appFactsCache(deps);
  expect(appFactsCache(deps)).toBe(made);
  expect(appFactsCache({})).not.toBe(made);
});
