/// <reference types="vite/types/importMeta.d.ts" />
import { expect, test } from 'vitest';
import { channels } from '../../../services/alerts/channels/registry.ts';
import { offlineWithNock } from '../../connectors/offline-with-nock.ts';
import type { ChannelAdapter } from './adapter.ts';
import { channelSuite } from './suite.ts';

// Every adapter in adapters/, including ones added later: a channel proves the contract by adding its adapter there.
const modules = import.meta.glob<{ adapter: ChannelAdapter }>('./adapters/*.adapter.ts', { eager: true });
const adapters = Object.entries(modules)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([path, module]) => {
    if (module.adapter === undefined) throw new Error(`${path} must export \`adapter\``);
    return module.adapter;
  });

offlineWithNock(async () => undefined);

for (const adapter of adapters) channelSuite(adapter);

test('every channel in the registry runs the contract suite, one adapter each', () => {
  const covered = adapters.map((adapter) => adapter.channel.type);
  expect(Object.keys(channels).filter((type) => !covered.includes(type)), 'channels without test/alerts/channels/adapters/<type>.adapter.ts').toEqual([]);
  expect(adapters.filter((adapter) => channels[adapter.channel.type] !== adapter.channel).map((adapter) => adapter.channel.type), 'adapters whose channel is not in the registry').toEqual([]);
  expect(new Set(covered).size).toBe(covered.length);
});
