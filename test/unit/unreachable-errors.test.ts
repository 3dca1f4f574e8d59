import { describe, expect, test } from 'vitest';
import { isDatabaseUnreachable } from '../../db/connection-errors.ts';
import { isRedisUnreachable } from '../../services/runtime/redis-errors.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('PostgreSQL unreachable (503 and a retry) or a real error (500, or a 4xx of its own)', () => {
  test.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset socket', withCode('read ECONNRESET', 'ECONNRESET')],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['a connect timeout', new Error('Connection terminated due to connection timeout')],
    ['a client broken by an earlier cut', new Error('Client has encountered a connection error and is not queryable')],
    ['a full pool', new Error('timeout exceeded when trying to connect')],
    ['an administrator shutdown', withCode('terminating connection due to administrator command', '57P01')],
    ['a crash shutdown', withCode('terminating connection due to crash of another server process', '57P02')],
    ['a server still starting', withCode('the database system is starting up', '57P03')],
    ['a connection failure (class 08)', withCode('connection failure', '08006')],
    ['any address of a host refusing', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')])],
  ])('%s is unreachable', (_, error) => {
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  test.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a missing table', withCode('relation "x" does not exist', '42P01')],
    ['a refused password', withCode('password authentication failed for user "x"', '28P01')],
    ['a missing database', withCode('database "x" does not exist', '3D000')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['not an error at all', 'Connection terminated'],
  ])('%s is not', (_, error) => {
    expect(isDatabaseUnreachable(error)).toBe(false);
  });
});

describe('Redis unreachable', () => {
  test.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED')],
    ['a command while disconnected', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['a closed connection', new Error('Connection is closed.')],
    ['a slow answer to the rate limit', new Error('Redis did not answer within 1000 ms')],
  ])('%s is unreachable', (_, error) => {
    expect(isRedisUnreachable(error)).toBe(true);
  });

  test.each([
    ['a script error', new Error('ERR Error running script')],
    ['a wrong type', new Error('WRONGTYPE Operation against a key holding the wrong kind of value')],
    ['a missing job key', new Error('Missing key for job x. moveToFinished')],
  ])('%s is not', (_, error) => {
    expect(isRedisUnreachable(error)).toBe(false);
  });
});
