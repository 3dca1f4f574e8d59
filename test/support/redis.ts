import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/** The run's Redis and a key prefix of this test's own, so files never see each other's queues. */
export function testRedis(): { url: string; prefix: string } {
  return { url: inject('redisUrl'), prefix: `t${randomBytes(5).toString('hex')}` };
}
