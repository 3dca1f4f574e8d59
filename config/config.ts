import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Everything Earshot reads from its environment, parsed and validated once. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Unset: start embedded PostgreSQL under `dataDir/postgres`. */
  readonly databaseUrl: string | undefined;
  /** Unset: start `redis-server` from PATH under `dataDir/redis`. */
  readonly redisUrl: string | undefined;
  /** Namespace of Earshot's keys in Redis, so several installs can share one Redis. */
  readonly queuePrefix: string;
  /** Unset: write each email as an .eml file under `dataDir/outbox`. */
  readonly smtpUrl: string | undefined;
  readonly alertFrom: string;
  /** Base URL for links in emails; defaults to http://localhost:PORT. */
  readonly publicUrl: string;
  readonly dataDir: string;
  /** Key material for credential encryption; unset: generated under dataDir. */
  readonly secret: string | undefined;
  readonly allowPrivateUrls: boolean;
  readonly logLevel: LogLevel;
  /** Seconds between scheduler ticks (node-cron second field). */
  readonly schedulerTickSeconds: number;
  /** Default minutes between polls of a source when it does not say. */
  readonly defaultPollMinutes: number;
  /** Bad items first seen more than this many days after they were published are flagged but not emailed. */
  readonly alertMaxAgeDays: number;
  /** A re-review request with no edit of the review after this many days is closed as `expired`. */
  readonly reReviewExpireDays: number;
  /** A claimed alert that was neither sent nor released within this time is claimed again. */
  readonly alertLeaseSeconds: number;
  /** First retry delay of a failed job; doubles per attempt up to `retryMaxDelaySeconds`. */
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelaySeconds: number;
  /** Jobs each worker runs at once, per queue. */
  readonly workerConcurrency: number;
  /** Seconds after which a job whose worker died is handed to another worker. */
  readonly jobLockSeconds: number;
  /** API requests each key may make per minute; 0: unlimited. */
  readonly apiRateLimitPerMinute: number;
  /** How long `start` waits for PostgreSQL and Redis to answer before it gives up with a clear error. */
  readonly startWaitSeconds: number;
  /** After SIGTERM/SIGINT, the process exits within this time even when something it waits on is down. */
  readonly shutdownTimeoutSeconds: number;
  /** A web session unused for this long ends. */
  readonly sessionIdleHours: number;
  /** A web session ends this long after sign-in, however busy. */
  readonly sessionMaxDays: number;
  /** Invitation links (the first owner's included) work this long, once. */
  readonly invitationDays: number;
  /** Password-reset links work this long, once. */
  readonly passwordResetMinutes: number;
  /** Failed sign-ins per email, and per client address, allowed in 15 minutes before further tries are refused. */
  readonly signInFailuresPerEmail: number;
  readonly signInFailuresPerAddress: number;
  /** Seconds a reply waits before it is sent, so its author can take it back. */
  readonly replyUndoSeconds: number;
  /** A claimed reply neither published nor released within this time is looked at again (after checking the platform). */
  readonly replyLeaseSeconds: number;
  /** The Bluesky Jetstream instance (ws/wss base URL, without /subscribe) serving every Bluesky source; null: off, polling only. */
  readonly blueskyJetstreamUrl: string | null;
  /** Minutes between the safety-net polls of a source whose stream is connected (its own interval when longer). */
  readonly streamSafetyNetPollMinutes: number;
}

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `expected ${min}..${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got ${parsed.protocol}`);
  }
  return raw;
}

function email(env: Env, name: string, fallback: string): string {
  const value = text(env, name) ?? fallback;
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(value) && !/<[^\s<>@]+@[^\s<>@]+>$/.test(value)) {
    throw new ConfigError(name, `expected an email address, got "${value}"`);
  }
  return value;
}

const DEFAULT_JETSTREAM_URL = 'wss://jetstream2.us-east.bsky.network';

/** A stream's base URL (ws or wss, no query, no /subscribe), or null when set to `off`. */
function streamBaseUrl(env: Env, name: string, fallback: string): string | null {
  if (text(env, name)?.toLowerCase() === 'off') return null;
  const value = url(env, name, ['ws:', 'wss:']) ?? fallback;
  const parsed = new URL(value);
  if (parsed.search !== '' || parsed.hash !== '') throw new ConfigError(name, 'must not have a query or fragment');
  if (parsed.pathname.replace(/\/+$/, '').endsWith('/subscribe')) throw new ConfigError(name, 'is the instance\'s base URL: leave out /subscribe');
  return value.replace(/\/+$/, '');
}

function queuePrefix(env: Env): string {
  const value = text(env, 'QUEUE_PREFIX') ?? 'earshot';
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(value)) throw new ConfigError('QUEUE_PREFIX', 'use 1-40 letters, digits, - or _');
  return value;
}

/** Builds the one config object from an environment (normally `process.env`). */
export function loadConfig(env: Env, cwd: string = process.cwd()): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const logLevel = (text(env, 'LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}`);
  }
  const publicUrl = url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const secret = text(env, 'EARSHOT_SECRET');
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError('EARSHOT_SECRET', 'must be at least 32 characters (e.g. `openssl rand -hex 32`)');
  }
  return Object.freeze({
    port,
    host: text(env, 'HOST') ?? '127.0.0.1',
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    queuePrefix: queuePrefix(env),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    alertFrom: email(env, 'ALERT_FROM', 'Earshot <alerts@earshot.localhost>'),
    publicUrl: publicUrl.replace(/\/+$/, ''),
    dataDir: path.resolve(cwd, text(env, 'DATA_DIR') ?? './data'),
    secret,
    allowPrivateUrls: boolean(env, 'EARSHOT_ALLOW_PRIVATE_URLS', false),
    logLevel,
    schedulerTickSeconds: integer(env, 'SCHEDULER_TICK_SECONDS', 15, 1, 59),
    defaultPollMinutes: integer(env, 'DEFAULT_POLL_MINUTES', 15, 1, 10080),
    alertMaxAgeDays: integer(env, 'ALERT_MAX_AGE_DAYS', 14, 0, 36500),
    alertLeaseSeconds: integer(env, 'ALERT_LEASE_SECONDS', 120, 1, 3600),
    reReviewExpireDays: integer(env, 'RE_REVIEW_EXPIRE_DAYS', 30, 1, 3650),
    retryBaseDelayMs: integer(env, 'RETRY_BASE_DELAY_MS', 1000, 10, 600000),
    retryMaxDelaySeconds: integer(env, 'RETRY_MAX_DELAY_SECONDS', 300, 1, 86400),
    workerConcurrency: integer(env, 'WORKER_CONCURRENCY', 4, 1, 256),
    jobLockSeconds: integer(env, 'JOB_LOCK_SECONDS', 30, 2, 3600),
    apiRateLimitPerMinute: integer(env, 'API_RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    startWaitSeconds: integer(env, 'START_WAIT_SECONDS', 30, 1, 3600),
    shutdownTimeoutSeconds: integer(env, 'SHUTDOWN_TIMEOUT_SECONDS', 30, 3, 3600),
    sessionIdleHours: integer(env, 'SESSION_IDLE_HOURS', 12, 1, 24 * 90),
    sessionMaxDays: integer(env, 'SESSION_MAX_DAYS', 30, 1, 365),
    invitationDays: integer(env, 'INVITATION_DAYS', 7, 1, 90),
    passwordResetMinutes: integer(env, 'PASSWORD_RESET_MINUTES', 60, 5, 24 * 60),
    signInFailuresPerEmail: integer(env, 'SIGN_IN_FAILURES_PER_EMAIL', 10, 1, 10_000),
    signInFailuresPerAddress: integer(env, 'SIGN_IN_FAILURES_PER_ADDRESS', 50, 1, 100_000),
    replyUndoSeconds: integer(env, 'REPLY_UNDO_SECONDS', 10, 0, 3600),
    replyLeaseSeconds: integer(env, 'REPLY_LEASE_SECONDS', 60, 5, 3600),
    blueskyJetstreamUrl: streamBaseUrl(env, 'BLUESKY_JETSTREAM_URL', DEFAULT_JETSTREAM_URL),
    streamSafetyNetPollMinutes: integer(env, 'STREAM_SAFETY_NET_POLL_MINUTES', 60, 1, 10080),
  });
}
