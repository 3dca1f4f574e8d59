import type { Channel } from './contract.ts';
import { email } from './email/index.ts';
import { ntfy } from './ntfy/index.ts';
import { slack } from './slack/index.ts';
import { teams } from './teams/index.ts';
import { webhook } from './webhook/index.ts';

/** Every way Earshot can send an alert, by channel type (the `type` a channel is created with). */
export const channels: Readonly<Record<string, Channel<any, any>>> = Object.freeze({
  [email.type]: email,
  [slack.type]: slack,
  [teams.type]: teams,
  [webhook.type]: webhook,
  [ntfy.type]: ntfy,
});

export function findChannel(type: string): Channel<any, any> | undefined {
  return Object.hasOwn(channels, type) ? channels[type] : undefined;
}
