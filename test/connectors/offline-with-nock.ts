import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** For the calling test file: no real network, and after each test nock's interceptors cleared and `cleanup` run. */
export function offlineWithNock(cleanup: () => Promise<unknown> | undefined): void {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(async () => {
    nock.cleanAll();
    await cleanup();
  });
}
