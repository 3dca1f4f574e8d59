import type { Logger } from 'pino';
import type { StreamedSource } from '../../connectors/stream-contract.ts';
import { decryptCredentials, type CredentialsKey } from '../sources/credentials.ts';
import type { StreamedRow } from './watched-sources.ts';

/**
 * The sources as a stream reads them: config, and credentials opened for a stream that
 * connects with them. Credentials that no longer open (the secret changed) are left out:
 * the stream connects as it would without them, and the source's poll reports the problem.
 */
export function streamedSourcesOf(rows: StreamedRow[], credentialsKey: CredentialsKey, log: Logger): StreamedSource[] {
  return rows.map((row) => {
    let credentials: Record<string, string> = {};
    try {
      credentials = decryptCredentials(credentialsKey, row.id, row.credentials);
    } catch {
      log.debug({ sourceId: row.id }, 'the credentials of a streamed source do not open; it is streamed without them');
    }
    return { id: row.id, config: row.config, credentials };
  });
}
