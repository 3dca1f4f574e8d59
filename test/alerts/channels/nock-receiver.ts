import nock from 'nock';
import type { FakeFailure, FakeReceiver, Received } from './adapter.ts';

/**
 * A fake HTTP receiver at `url`, served with nock: it accepts each POST with `accept`
 * unless a failure was queued for it.
 */
export function nockReceiver(url: string, accept: { status: number; body: string }): FakeReceiver {
  const { origin, pathname, search } = new URL(url);
  const received: Received[] = [];
  const accepted: Received[] = [];
  const failures: FakeFailure[] = [];
  let releaseHangs: () => void = () => {};
  const released = new Promise<void>((resolve) => (releaseHangs = resolve));
  const scope = nock(origin)
    .persist()
    .post(`${pathname}${search}`)
    .reply(async (incoming: Request): Promise<[number, string, Record<string, string>]> => {
      const request: Received = { headers: Object.fromEntries(incoming.headers), body: await incoming.text() };
      received.push(request);
      const failure = failures.shift();
      if (failure === undefined) {
        accepted.push(request);
        return [accept.status, accept.body, {}];
      }
      switch (failure.kind) {
        case 'refuse':
          return [failure.status, failure.body, {}];
        case 'rate_limit':
          return [429, 'rate limited', { 'retry-after': String(failure.retryAfterSeconds) }];
        case 'unavailable':
          return [503, 'service unavailable', {}];
        case 'hang':
          await released;
          return [200, 'too late', {}];
      }
    });
  return {
    received,
    accepted,
    failNext: (failure) => void failures.push(failure),
    async stop() {
      // Interceptors go with nock.cleanAll() after each test; a hung request is let go.
      releaseHangs();
      scope.persist(false);
    },
  };
}
