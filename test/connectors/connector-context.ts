import { expect } from 'vitest';
import { ConnectorError, type ConnectorContext, type Logger, type Page } from '../../connectors/contract.ts';
import { createConnectorHttp, type ConnectorHttp } from '../../services/sources/http/connector-http.ts';

export const silentLog: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface TestContext extends ConnectorContext {
  http: ConnectorHttp;
}

/** What a poll worker hands a connector, with a fixed clock and no shared budget. */
export function testContext(options: { platform?: string; now?: Date; allowPrivateUrls?: boolean } = {}): TestContext {
  const signal = new AbortController().signal;
  const now = options.now ?? new Date('2026-03-02T12:30:00Z');
  const http = createConnectorHttp({ platform: options.platform ?? 'test', allowPrivateUrls: options.allowPrivateUrls ?? false, signal, log: silentLog, now: () => now });
  return { http, log: silentLog, now: () => now, signal };
}

export async function allPages(pages: AsyncIterable<Page>): Promise<Page[]> {
  const collected: Page[] = [];
  for await (const page of pages) collected.push(page);
  return collected;
}

/** The ConnectorError a promise rejects with; fails the test if it resolves or throws anything else. */
export async function connectorFailure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}
