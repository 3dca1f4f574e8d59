// Frozen: where each platform stream (a long-running push consumer, e.g. Bluesky's
// Jetstream) resumes, who leads it and how it is doing — as on 2026-12-08.
// Never import application code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE stream_cursors (
      -- The stream's name, e.g. 'bluesky_jetstream': one row per stream of the install.
      stream text PRIMARY KEY,
      -- The type of the sources it serves (their health shows the stream's).
      source_type text NOT NULL,
      -- The lease token of the worker that leads it; a save by any other worker changes nothing.
      leader text,
      -- Where to resume, opaque to the core (Jetstream: the last committed time_us);
      -- moved only after the items before it are committed.
      cursor jsonb,
      state text NOT NULL DEFAULT 'down' CHECK (state IN ('connected', 'connecting', 'down')),
      -- The platform's own time of the newest event committed, and when it was committed.
      last_event_at timestamptz,
      last_committed_at timestamptz,
      connected_at timestamptz,
      last_error text,
      last_error_at timestamptz,
      -- The leader's last sign of life: a state older than a lease has no one behind it.
      heartbeat_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX stream_cursors_source_type ON stream_cursors (source_type);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE stream_cursors`.execute(db);
}
