import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import { removeDemoLeftovers } from '../demo/demo-account.ts';
import { startEarshot, type ProcessRole } from '../earshot.ts';
import { accountIdOfKey } from '../first-owner-key.ts';
import { RedisUnavailableError } from '../runtime/redis-server.ts';
import { StartupError } from '../runtime/startup-error.ts';

/** `earshot start`: runs until SIGINT/SIGTERM, then shuts down gracefully (a second signal forces it). */
export async function start(config: Config, roles: ProcessRole[], log: Logger): Promise<number> {
  let earshot;
  try {
    earshot = await startEarshot(config, roles, log);
  } catch (error) {
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
  if (earshot.url) lines.push(`API: ${earshot.url}   (browse it at ${earshot.url}/docs)`);
  if (earshot.firstOwnerKey) {
    lines.push(
      '',
      'First start: an owner API key was created. It is shown only this once; keep it:',
      '',
      `    ${earshot.firstOwnerKey}`,
      '',
      `Its account id is ${await accountIdOfKey(earshot.db, earshot.firstOwnerKey)} (earshot keys create --account ID adds keys to it; earshot accounts list shows it again).`,
      `Try: curl -H "Authorization: Bearer ${earshot.firstOwnerKey}" ${earshot.url}/v1/businesses`,
    );
  }
  const demoLeftovers = await removeDemoLeftovers(earshot.db);
  if (demoLeftovers > 0) lines.push(`Removed ${demoLeftovers} sources an interrupted \`earshot demo\` left behind (account "Earshot demo").`);
  if (!config.smtpUrl && roles.includes('worker')) lines.push(`Alert emails are written to ${config.dataDir}/outbox (set SMTP_URL to send them).`);
  lines.push('Press Ctrl-C to stop.');
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`\n${signal} again: exiting without waiting.\n`);
        process.exit(130);
      }
      stopping = true;
      process.stderr.write(`\n${signal}: shutting down (workers finish the jobs in hand; Ctrl-C again to force)…\n`);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
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
