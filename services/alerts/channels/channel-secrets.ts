import type { FieldSpec } from './contract.ts';

// Shorter values are too likely to be ordinary words a message needs.
const MIN_SECRET_LENGTH = 6;

/**
 * The values of a channel's secret fields, for scrubbing error messages and logs. A
 * secret URL's path and query are listed too: a receiver that echoes a request tends
 * to quote the path, and the path is where Slack and Teams keep the key.
 */
export function channelSecrets(
  schemas: ReadonlyArray<Record<string, FieldSpec>>,
  ...values: readonly object[]
): string[] {
  const secrets: string[] = [];
  for (const [index, schema] of schemas.entries()) {
    const given = (values[index] ?? {}) as Record<string, unknown>;
    for (const [name, spec] of Object.entries(schema)) {
      const value = given[name];
      if (!spec.secret || typeof value !== 'string') continue;
      secrets.push(value);
      if (spec.type === 'url' && URL.canParse(value)) {
        const url = new URL(value);
        secrets.push(`${url.pathname}${url.search}`, url.pathname);
      }
    }
  }
  return [...new Set(secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH))];
}
