import { expect, test } from 'vitest';
import { connectionState } from '../../db/database.ts';

const unreachable = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

test('many failures and successes become one lost and one back per outage; a query counts only for the state it started in', () => {
  const said: string[] = [];
  let clock = 1000;
  const state = connectionState({ onLost: () => said.push('lost'), onBack: () => said.push('back') }, () => clock);

  state.failed(unreachable(), 990);
  state.failed(unreachable(), 995);
  // A query sent before the loss was noticed answers late: no proof the database is back.
  clock = 1010;
  state.succeeded(900);
  expect(said).toEqual(['lost']);
  state.succeeded(1005);
  state.succeeded(1008);
  expect(said).toEqual(['lost', 'back']);

  // A query sent while it was away fails after it came back: the same outage.
  clock = 1020;
  state.failed(unreachable(), 1002);
  state.succeeded(1015);
  expect(said).toEqual(['lost', 'back']);

  // Later, a new outage is told again.
  clock = 2000;
  state.failed(unreachable(), 1990);
  state.succeeded(2001);
  expect(said).toEqual(['lost', 'back', 'lost', 'back']);

  // A failure that is not about reaching the database is no outage; without a start time a failure is now.
  state.failed(new Error('duplicate key value violates unique constraint'));
  expect(said).toHaveLength(4);
  clock = 3000;
  state.failed(unreachable());
  expect(said).toEqual(['lost', 'back', 'lost', 'back', 'lost']);
});
