import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** What the mail server accepted, noted on local disk before PostgreSQL is told. */
export interface SentRecord {
  deliveryId: string;
  messageId: string;
  kind: string;
  /** When the server accepted it (ISO 8601). */
  sentAt: string;
}

/**
 * The worker's own memory of sends PostgreSQL may not know about yet. If the database is
 * unreachable at the moment the server accepts an email, the delivery stays `sending` in
 * PostgreSQL; without this note its lease would run out and the email would go again.
 * One small file per delivery (written to a temporary name, flushed, then renamed), so
 * concurrent jobs and processes sharing DATA_DIR never rewrite each other's notes.
 */
export interface SentJournal {
  record(entry: SentRecord): Promise<void>;
  /** Notes not yet confirmed in PostgreSQL, oldest name first. */
  unconfirmed(): Promise<SentRecord[]>;
  /** PostgreSQL has it: the note is no longer needed. */
  confirm(deliveryId: string): Promise<void>;
}

const SUFFIX = '.sent.json';

export function openSentJournal(directory: string): SentJournal {
  const fileOf = (deliveryId: string) => path.join(directory, `${deliveryId}${SUFFIX}`);
  return {
    async record(entry) {
      await fs.mkdir(directory, { recursive: true });
      const temporary = path.join(directory, `.${entry.deliveryId}.${randomUUID()}.tmp`);
      const handle = await fs.open(temporary, 'w');
      try {
        await handle.writeFile(JSON.stringify(entry));
        // The note must outlive a power cut that follows the server's acceptance.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temporary, fileOf(entry.deliveryId));
    },
    async unconfirmed() {
      let names: string[];
      try {
        names = await fs.readdir(directory);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      const records: SentRecord[] = [];
      for (const name of names.filter((candidate) => candidate.endsWith(SUFFIX)).sort()) {
        let text: string;
        try {
          text = await fs.readFile(path.join(directory, name), 'utf8');
        } catch (error) {
          // Confirmed by another job meanwhile.
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw error;
        }
        // Renamed into place whole, so never partial; a file edited by hand must not stop every alert.
        try {
          records.push(JSON.parse(text) as SentRecord);
        } catch {
          continue;
        }
      }
      return records;
    },
    async confirm(deliveryId) {
      await fs.rm(fileOf(deliveryId), { force: true });
    },
  };
}
