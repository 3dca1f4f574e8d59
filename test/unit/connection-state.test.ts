import { expect, test } from 'vitest';
import { connectionState, RELAPSE_GRACE_MS } from '../../db/database.ts';

const unreachable = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

test('many failures and successes become one lost and one back per outage; a failure just after the return is the same outage', () => {
  const said: string[] = [];
  let clock = 0;
  const state = connectionState({ onLost: () => said.push('lost'), onBack: () => said.push('back') }, () => clock);

  state.failed(unreachable());
  state.failed(unreachable());
  state.succeeded();
  state.succeeded();
  expect(said).toEqual(['lost', 'back']);

  // A connection opened during the outage fails after the first query went through.
  clock += RELAPSE_GRACE_MS - 1;
  state.failed(unreachable());
  state.succeeded();
  expect(said).toEqual(['lost', 'back']);

  // Later, a new outage is told again.
  clock += 2;
  state.failed(unreachable());
  state.succeeded();
  expect(said).toEqual(['lost', 'back', 'lost', 'back']);

  // A failure that is not about reaching the database is no outage.
  clock += RELAPSE_GRACE_MS;
  state.failed(new Error('duplicate key value violates unique constraint'));
  expect(said).toHaveLength(4);
});
