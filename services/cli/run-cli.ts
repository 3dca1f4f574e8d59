import { parseArgs } from 'node:util';
import type { Config } from '../../config/config.ts';
import { runDemo } from '../demo/run-demo.ts';
import { ALL_ROLES, type ProcessRole } from '../runtime/earshot.ts';
import { createLogger } from '../runtime/logger.ts';
import { listAccounts } from './accounts-command.ts';
import { createKey } from './keys-command.ts';
import { migrate } from './migrate-command.ts';
import { reanalyze } from './reanalyze-command.ts';
import { start } from './start-command.ts';
import { inviteUser } from './users-command.ts';

export const USAGE = `Usage: earshot <command>

  start [--role api|worker|scheduler]   run Earshot (all roles in one process by default)
  migrate                               apply database migrations and exit
  demo                                  run Earshot against a local platform sandbox
  reanalyze [--since ISO-DATE]          re-score stored items after an analyzer change
                                        (alerts already sent are never sent again)
  accounts list                         list accounts: id, name, created, businesses, keys
  keys create --role owner|staff|consultant [--account ID] [--business ID ...] [--name NAME]
                                        create an API key and print only the key;
                                        --account ID adds it to an existing account (see accounts list);
                                        --business (repeatable) limits it to those businesses;
                                        without --account a new, empty account is created (owner keys only)
  users invite --email EMAIL --role owner|staff|consultant [--account ID] [--business ID ...]
                                        invite a person to sign in to the web app and print only
                                        the one-time link (it is also emailed by the running Earshot);
                                        without --account a new account is created (owners only)
`;

export class UsageError extends Error {}

/** Dispatches a command line; returns the process exit code. */
export async function runCli(argv: string[], config: Config): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start': {
        const { values } = parseArgs({ args: rest, options: { role: { type: 'string', multiple: true } }, strict: true });
        return await start(config, parseRoles(values.role), createLogger(config));
      }
      case 'migrate':
        parseArgs({ args: rest, options: {}, strict: true });
        return await migrate(config);
      case 'reanalyze': {
        const { values } = parseArgs({ args: rest, options: { since: { type: 'string' } }, strict: true });
        const since = values.since === undefined ? undefined : new Date(values.since);
        if (since !== undefined && Number.isNaN(since.getTime())) throw new UsageError(`--since must be an ISO date, got "${values.since}"`);
        return await reanalyze(config, { since });
      }
      case 'demo':
        parseArgs({ args: rest, options: {}, strict: true });
        return await runDemo(config);
      case 'accounts': {
        const [sub, ...args] = rest;
        if (sub !== 'list') throw new UsageError(`unknown accounts command "${sub ?? ''}"`);
        parseArgs({ args, options: {}, strict: true });
        return await listAccounts(config);
      }
      case 'keys': {
        const [sub, ...args] = rest;
        if (sub !== 'create') throw new UsageError(`unknown keys command "${sub ?? ''}"`);
        const { values } = parseArgs({
          args,
          options: { role: { type: 'string' }, account: { type: 'string' }, business: { type: 'string', multiple: true }, name: { type: 'string' } },
          strict: true,
        });
        const role = values.role;
        if (role !== 'owner' && role !== 'staff' && role !== 'consultant') throw new UsageError('--role owner|staff|consultant is required');
        // A new account has no businesses and no owner: only an owner key can start one.
        if (values.account === undefined && role !== 'owner') throw new UsageError(`a ${role} key needs --account ID (an existing account)`);
        if (values.account === undefined && values.business !== undefined) throw new UsageError('--business needs --account ID');
        return await createKey(config, { role, accountId: values.account, name: values.name, businessIds: values.business });
      }
      case 'users': {
        const [sub, ...args] = rest;
        if (sub !== 'invite') throw new UsageError(`unknown users command "${sub ?? ''}"`);
        const { values } = parseArgs({
          args,
          options: { email: { type: 'string' }, role: { type: 'string' }, account: { type: 'string' }, business: { type: 'string', multiple: true } },
          strict: true,
        });
        const role = values.role;
        if (values.email === undefined || values.email.trim() === '') throw new UsageError('--email EMAIL is required');
        if (role !== 'owner' && role !== 'staff' && role !== 'consultant') throw new UsageError('--role owner|staff|consultant is required');
        // A new account has no businesses and nobody to run it: only its owner can start it.
        if (values.account === undefined && role !== 'owner') throw new UsageError(`a ${role} needs --account ID (an existing account)`);
        if (values.account === undefined && values.business !== undefined) throw new UsageError('--business needs --account ID');
        return await inviteUser(config, { email: values.email, role, accountId: values.account, businessIds: values.business ?? [] });
      }
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`earshot: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

function parseRoles(values: string[] | undefined): ProcessRole[] {
  if (values === undefined || values.length === 0) return [...ALL_ROLES];
  for (const value of values) {
    if (!ALL_ROLES.includes(value as ProcessRole)) throw new UsageError(`--role must be one of ${ALL_ROLES.join(', ')}, got "${value}"`);
  }
  return values as ProcessRole[];
}
