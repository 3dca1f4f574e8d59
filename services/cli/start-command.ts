import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import { DEMO_ACCOUNT } from '../demo/demo-account.ts';
import { startEarshot, type ProcessRole } from '../runtime/earshot.ts';
import { RedisUnavailableError } from '../runtime/redis-server.ts';
import { StartupError } from '../runtime/startup-error.ts';

/** `earshot start`: runs until SIGINT/SIGTERM, then shuts down gracefully (a second signal forces it). */
export async function start(config: Config, roles: ProcessRole[], log: Logger): Promise<number> {
  // Listening from the first moment: a SIGTERM while start-up still waits for PostgreSQL or
  // Redis must stop the process too, within the same bound as a shutdown.
  const stopRequest = listenForStopSignals(config.shutdownTimeoutSeconds);
  let earshot;
  try {
    earshot = await startEarshot(config, roles, log);
  } catch (error) {
    stopRequest.startupOver();
    if (error instanceof RedisUnavailableError) {
      process.stderr.write(`\n${error.message}\n`);
      return 1;
    }
    if (error instanceof StartupError) {
      process.stderr.write(`earshot: cannot start: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const lines = [`Earshot is running (${roles.join(', ')}).`];
  if (earshot.url) lines.push(`Web app: ${earshot.url}/   API: ${earshot.url}/v1   (browse the API at ${earshot.url}/docs)`);
  if (earshot.firstOwner) {
    const { key, accountId, signInUrl } = earshot.firstOwner;
    lines.push(
      '',
      `Sign in to the web app: ${signInUrl}`,
      '(a one-time link: it asks for your email, name and password and makes you the owner)',
      '',
      'First start: an owner API key was created. It is shown only this once; keep it:',
      '',
      `    ${key}`,
      '',
      `Its account id is ${accountId} (earshot keys create --account ID adds keys to it; earshot accounts list shows it again).`,
      `Try: curl -H "Authorization: Bearer ${key}" ${earshot.url}/v1/businesses`,
    );
  }
  const demoLeftovers = earshot.demoLeftoversRemoved;
  if (demoLeftovers > 0) lines.push(`Removed ${demoLeftovers} sources an interrupted \`earshot demo\` left behind (account "${DEMO_ACCOUNT}").`);
  if (!config.smtpUrl && roles.includes('worker')) lines.push(`Alert emails are written to ${config.dataDir}/outbox (set SMTP_URL to send them).`);
  lines.push('Press Ctrl-C to stop.');
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  stopRequest.startupOver();
  await stopRequest.requested;
  const unfinished = await earshot.stop();
  if (unfinished.length > 0) {
    process.stderr.write(`Earshot did not stop cleanly within ${config.shutdownTimeoutSeconds} s: ${unfinished.join(', ')} did not finish; exiting anyway.\n`);
    process.exit(1);
  }
  process.stderr.write('Earshot stopped.\n');
  // Everything reported stopped; should a forgotten handle still hold the process, do not wait for it for ever.
  setTimeout(() => {
    process.stderr.write('Earshot stopped, but something still held the process open; exiting.\n');
    process.exit(1);
  }, 5_000).unref();
  return 0;
}

interface StopRequest {
  /** Resolves at the first SIGINT or SIGTERM. */
  requested: Promise<void>;
  /** Start-up is over (done or failed): from now on the graceful shutdown keeps the bound. */
  startupOver(): void;
}

/**
 * SIGINT and SIGTERM from the moment `start` begins. The first asks for a graceful stop
 * (a second one exits at once). One that comes while start-up is still under way — waiting
 * for a database that may never answer — also arms a deadline: start-up is given the
 * shutdown bound to finish, then the process exits without waiting.
 */
function listenForStopSignals(timeoutSeconds: number): StopRequest {
  let stopping = false;
  let starting = true;
  let deadline: NodeJS.Timeout | undefined;
  let resolve!: () => void;
  const requested = new Promise<void>((done) => (resolve = done));
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`\n${signal} again: exiting without waiting.\n`);
      process.exit(130);
    }
    stopping = true;
    if (starting) {
      process.stderr.write(`\n${signal}: stopping once start-up ends (at most ${timeoutSeconds} s; Ctrl-C again to force)…\n`);
      deadline = setTimeout(() => {
        process.stderr.write(`Earshot did not finish starting within ${timeoutSeconds} s of ${signal}; exiting without waiting.\n`);
        process.exit(1);
      }, timeoutSeconds * 1000);
    } else {
      process.stderr.write(`\n${signal}: shutting down (workers finish the jobs in hand; Ctrl-C again to force)…\n`);
    }
    resolve();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    requested,
    startupOver() {
      starting = false;
      // Start-up ended in time; the graceful shutdown that follows has a deadline of its own.
      if (deadline) clearTimeout(deadline);
    },
  };
}
