import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { addChannel, changeChannel, listChannels, removeChannel, viewChannel, type ChannelStore, type ChannelChangeRequest, type NewChannelRequest } from '../../alerts/channel-changes.ts';
import { InvalidChannelSettings } from '../../alerts/channel-settings.ts';
import { sendTestMessage } from '../../alerts/channel-test-message.ts';
import { createMailTransport } from '../../alerts/mail-transport.ts';
import { OWNER_ONLY, type AccessRule } from '../access.ts';
import { authOf } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError, invalidInput, notFound } from '../errors.ts';
import { channelList, channelSchema, createChannelBody, presentChannel, presentChannelHealth, testSent, updateChannelBody, type ChannelHealthJson, type ChannelJson } from '../schemas/channel.ts';
import { idParams, isUuid, noQuery, type IdParams } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';

/** Owners see the account's channels, whatever businesses their key is limited to: a rule of any business may use one. */
const READ_CHANNELS: AccessRule = { roles: OWNER_ONLY, target: 'channel' };
/** Changing or using a channel reaches beyond one business: keys for the whole account only. */
const CHANGE_CHANNELS: AccessRule = { roles: OWNER_ONLY, target: 'channel', accountWide: true };

/** The channel's or the private-address rule's refusal, as a 400 naming the field. */
async function asInvalidInput<T>(settle: () => Promise<T>): Promise<T> {
  try {
    return await settle();
  } catch (error) {
    if (error instanceof InvalidChannelSettings) throw invalidInput(error.field, error.message);
    throw error;
  }
}

export function channelRoutes(deps: ApiDeps): FastifyPluginAsync {
  const store: ChannelStore = { db: deps.db, credentialsKey: deps.credentialsKey, allowPrivateUrls: deps.config.allowPrivateUrls };
  // Where the workers' alert emails go (services/runtime/backing-services.ts), so a test email goes there too.
  const mailSettings = { smtpUrl: deps.config.smtpUrl, outboxDir: path.join(deps.config.dataDir, 'outbox') };

  return async (app) => {
    app.post<{ Body: NewChannelRequest; Reply: ChannelJson }>(
      '/v1/channels',
      {
        config: { access: { roles: OWNER_ONLY, accountWide: true } },
        schema: {
          summary: 'Add a channel alerts can be sent through',
          description: 'Slack, Teams, a signed webhook, ntfy or an email list, for the whole account. URLs pointing at this machine or a private network are refused unless EARSHOT_ALLOW_PRIVATE_URLS is set. Secrets are stored encrypted and only ever shown masked.',
          tags: ['channels'],
          querystring: noQuery,
          body: createChannelBody,
          response: { 201: { ...channelSchema, description: 'The new channel, secrets masked' }, ...errorResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const added = await asInvalidInput(() => addChannel(store, authOf(request).accountId, request.body));
        return reply.status(201).send(presentChannel(added));
      },
    );

    app.get<{ Reply: { channels: ChannelJson[] } }>(
      '/v1/channels',
      {
        config: { access: { roles: OWNER_ONLY } },
        schema: {
          summary: "List the account's channels with their health",
          tags: ['channels'],
          querystring: noQuery,
          response: { 200: channelList, ...errorResponses(401, 403) },
        },
      },
      async (request) => ({ channels: (await listChannels(store, authOf(request).accountId)).map(presentChannel) }),
    );

    app.get<{ Params: IdParams; Reply: ChannelJson }>(
      '/v1/channels/:id',
      {
        config: { access: READ_CHANNELS },
        schema: {
          summary: 'Get one channel with its health',
          tags: ['channels'],
          querystring: noQuery,
          params: idParams,
          response: { 200: { ...channelSchema, description: 'The channel, secrets masked' }, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const { id } = request.params;
        const found = isUuid(id) ? await viewChannel(store, authOf(request).accountId, id) : undefined;
        if (found === undefined) throw notFound('channel');
        return presentChannel(found);
      },
    );

    app.patch<{ Params: IdParams; Body: ChannelChangeRequest; Reply: ChannelJson }>(
      '/v1/channels/:id',
      {
        config: { access: CHANGE_CHANNELS },
        schema: {
          summary: "Rename a channel or change its settings",
          description:
            'New settings are checked like a new channel\'s, together with the secrets kept, and clear a needs_attention state; send a test to prove the fix. Secrets not sent are kept.',
          tags: ['channels'],
          querystring: noQuery,
          params: idParams,
          body: updateChannelBody,
          response: { 200: { ...channelSchema, description: 'The channel as changed, secrets masked' }, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const { id } = request.params;
        const changed = isUuid(id) ? await asInvalidInput(() => changeChannel(store, authOf(request).accountId, id, request.body)) : undefined;
        if (changed === undefined) throw notFound('channel');
        return presentChannel(changed);
      },
    );

    app.delete<{ Params: IdParams }>(
      '/v1/channels/:id',
      {
        config: { access: CHANGE_CHANNELS },
        schema: {
          summary: 'Delete a channel',
          tags: ['channels'],
          querystring: noQuery,
          params: idParams,
          response: { 204: { description: 'Deleted', type: 'null' }, ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const removed = isUuid(id) && (await removeChannel(store, authOf(request).accountId, id));
        if (!removed) throw notFound('channel');
        return reply.status(204).send();
      },
    );

    app.post<{ Params: IdParams; Reply: { sent: true; receipt: string; health: ChannelHealthJson } }>(
      '/v1/channels/:id/test',
      {
        config: { access: CHANGE_CHANNELS },
        schema: {
          summary: 'Send a test message through a channel now',
          description:
            'Sent at once, not through the alert outbox, and answered when the channel has accepted it (200) or failed (502, `channel_failed`, with the channel\'s error). Either way the channel\'s health records it: a receiver that refuses the settings marks it needs_attention.',
          tags: ['channels'],
          querystring: noQuery,
          params: idParams,
          response: { 200: testSent, ...errorResponses(401, 403, 404, 502) },
        },
      },
      async (request) => {
        const { id } = request.params;
        if (!isUuid(id)) throw notFound('channel');
        const transport = createMailTransport(mailSettings);
        try {
          const result = await sendTestMessage({ ...store, mail: { transport, from: deps.config.alertFrom }, log: request.log }, authOf(request).accountId, id);
          if (result.outcome === 'not_found') throw notFound('channel');
          if (result.outcome === 'failed') throw new ApiError(502, 'channel_failed', `the channel did not take the test message: ${result.message}`);
          return { sent: true as const, receipt: result.detail, health: presentChannelHealth(result.channel.health) };
        } finally {
          transport.close();
        }
      },
    );
  };
}
