import { expect, test } from 'vitest';
import { streamHealth } from '../../services/streams/stream-health.ts';

const now = new Date('2026-12-08T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

test('connected: the lag is from the platform announcing the newest event to its commit', () => {
  expect(streamHealth({ state: 'connected', lastEventAt: ago(10.5), lastCommittedAt: ago(10), heartbeatAt: ago(2) }, now)).toEqual({
    state: 'connected',
    lastEventAt: ago(10.5),
    lagSeconds: 0.5,
  });
});

test('not connected: the lag is how far behind now the stream has fallen', () => {
  expect(streamHealth({ state: 'down', lastEventAt: ago(90), lastCommittedAt: ago(89), heartbeatAt: ago(2) }, now)).toMatchObject({ state: 'down', lagSeconds: 90 });
  expect(streamHealth({ state: 'connecting', lastEventAt: ago(40), lastCommittedAt: ago(40), heartbeatAt: ago(1) }, now)).toMatchObject({ state: 'connecting', lagSeconds: 40 });
});

test('a state no leader has vouched for in two leases is down, whatever it says', () => {
  expect(streamHealth({ state: 'connected', lastEventAt: ago(60), lastCommittedAt: ago(60), heartbeatAt: ago(31) }, now)).toEqual({ state: 'down', lastEventAt: ago(60), lagSeconds: 60 });
  expect(streamHealth({ state: 'connecting', lastEventAt: null, lastCommittedAt: null, heartbeatAt: null }, now)).toEqual({ state: 'down', lastEventAt: null, lagSeconds: null });
});
