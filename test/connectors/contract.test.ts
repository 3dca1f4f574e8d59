/// <reference types="vite/types/importMeta.d.ts" />
import { expect, test } from 'vitest';
import { connectors } from '../../connectors/registry.ts';
import type { ContractAdapter } from './contract/adapter.ts';
import { contractSuite } from './contract/suite.ts';

// Every adapter in contract/, including ones added later: a connector proves the contract by adding its adapter there.
const modules = import.meta.glob<{ adapter: ContractAdapter }>('./contract/*.adapter.ts', { eager: true });
const adapters = Object.entries(modules)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([path, module]) => {
    if (module.adapter === undefined) throw new Error(`${path} must export \`adapter\``);
    return module.adapter;
  });

for (const adapter of adapters) contractSuite(adapter);

test('every connector in the registry runs the contract suite', () => {
  const covered = new Set(adapters.map((adapter) => adapter.connector.id));
  // Push sources have no platform to poll; their contract is the signed-request tests.
  const missing = Object.keys(connectors).filter((id) => !connectors[id]!.capabilities.push && !covered.has(id));
  expect(missing, 'connectors without test/connectors/contract/<type>.adapter.ts').toEqual([]);
});

test('every connector that can reply proves it in the suite: its adapter serves replies', () => {
  const unproven = adapters.filter((adapter) => adapter.connector.reply !== undefined && adapter.reply === undefined).map((adapter) => adapter.connector.id);
  expect(unproven, 'connectors with `reply` whose adapter declares no `reply` part').toEqual([]);
});

test('each adapter is for a registered connector, one adapter per connector', () => {
  const ids = adapters.map((adapter) => adapter.connector.id);
  expect(adapters.filter((adapter) => connectors[adapter.connector.id] !== adapter.connector).map((adapter) => adapter.connector.id), 'adapters whose connector is not in connectors/registry.ts').toEqual([]);
  expect(new Set(ids).size).toBe(ids.length);
});

// Platform facts live on the connector, nowhere else: every screen, email and figure reads them from there.
test('every connector declares its platform facts: names and whether its items can be answered', () => {
  const undeclared = Object.values(connectors).filter(
    (connector) =>
      typeof connector.displayName !== 'string' ||
      connector.displayName.trim() === '' ||
      typeof connector.shortName !== 'string' ||
      connector.shortName.trim() === '' ||
      connector.shortName.length > connector.displayName.length ||
      typeof connector.repliable !== 'boolean',
  );
  expect(undeclared.map((connector) => connector.id), 'connectors missing displayName, shortName (no longer than it) or repliable').toEqual([]);
  expect(Object.values(connectors).filter((connector) => !connector.repliable).map((connector) => connector.id)).toEqual(['rss']);
});
