import type { FastifyPluginAsync } from 'fastify';
import { ConnectorError, type Connector, type ConnectorContext, type FieldSpec } from '../../../connectors/contract.ts';
import type { ReplyLimits } from '../../../connectors/reply-contract.ts';
import { connectors } from '../../../connectors/registry.ts';
import { unsupportedPlatforms } from '../../../connectors/unsupported.ts';
import { EVERY_ROLE } from '../access.ts';
import { noQuery } from '../schemas/common.ts';
import { errorResponses } from '../schemas/error.ts';

const fieldSpec = {
  type: 'object',
  required: ['type', 'required', 'secret', 'description'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['string', 'string[]', 'url'] },
    required: { type: 'boolean' },
    secret: { type: 'boolean', description: 'Write-only; stored encrypted and never returned' },
    description: { type: 'string' },
  },
} as const;

const fields = { type: 'object', additionalProperties: fieldSpec } as const;

const replySupport = {
  type: ['object', 'null'],
  description: 'Publishing replies on the platform; null: no reply API (the web app offers the manual way)',
  required: ['canUpdate', 'canDelete', 'credentialsNeeded', 'setUp', 'unit'],
  additionalProperties: false,
  properties: {
    canUpdate: { type: 'boolean', description: 'A published reply can be changed in place' },
    canDelete: { type: 'boolean', description: 'A published reply can be removed' },
    credentialsNeeded: { type: 'array', items: { type: 'string' }, description: 'Credentials (keys of `credentials`) a reply needs beyond reading' },
    setUp: { type: 'string', description: 'What an owner adds to set replies up, in plain words' },
    unit: {
      type: ['string', 'null'],
      enum: ['bytes', 'characters', 'graphemes', null],
      description: 'How the platform counts a reply\'s length; null with maxLength absent: the source\'s own platform tells (e.g. a Mastodon instance)',
    },
    maxLength: { type: 'integer', description: 'The longest reply, in `unit`; absent when it is each source\'s own' },
  },
} as const;

const sourceTypes = {
  type: 'object',
  required: ['types', 'unsupported'],
  additionalProperties: false,
  properties: {
    types: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'displayName', 'kind', 'version', 'defaultPollMinutes', 'config', 'credentials', 'capabilities', 'reply'],
        additionalProperties: false,
        properties: {
          type: { type: 'string', description: 'The `type` to create a source with' },
          displayName: { type: 'string' },
          kind: { type: 'string', enum: ['review', 'mention'] },
          version: { type: 'string' },
          defaultPollMinutes: { type: 'integer' },
          config: fields,
          credentials: fields,
          capabilities: {
            type: 'object',
            required: ['hasRatings', 'detectsOwnerReplies', 'seesEdits', 'push', 'maxItemsPerPoll'],
            additionalProperties: false,
            properties: {
              hasRatings: { type: 'boolean' },
              detectsOwnerReplies: { type: 'boolean' },
              seesEdits: { type: 'boolean' },
              push: { type: 'boolean', description: 'Items are pushed to Earshot (webhook) instead of polled' },
              maxItemsPerPoll: { type: ['integer', 'null'], description: 'The most items the platform lets anyone read; null: no cap' },
            },
          },
          reply: replySupport,
        },
      },
    },
    unsupported: {
      type: 'array',
      description: 'Platforms Earshot deliberately does not watch, with the reason',
      items: {
        type: 'object',
        required: ['id', 'displayName', 'reason'],
        additionalProperties: false,
        properties: { id: { type: 'string' }, displayName: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
} as const;

/** A context with no network: limits that need the platform (a Mastodon instance's) fail on it and are left to each source. */
const offline: ConnectorContext = {
  http: {
    send: () => Promise.reject(new ConnectorError('config', 'no platform requests while describing source types')),
    json: () => Promise.reject(new ConnectorError('config', 'no platform requests while describing source types')),
  },
  log: { debug() {}, info() {}, warn() {}, error() {} },
  now: () => new Date(),
  signal: AbortSignal.abort(),
};

async function fixedLimits(connector: Connector<any, any>): Promise<ReplyLimits | null> {
  try {
    return (await connector.reply?.limits({}, {}, offline)) ?? null;
  } catch {
    return null;
  }
}

async function describeReply(connector: Connector<any, any>) {
  const { reply } = connector;
  if (reply === undefined) return null;
  const limits = await fixedLimits(connector);
  return {
    canUpdate: reply.canUpdate,
    canDelete: reply.canDelete,
    credentialsNeeded: [...reply.credentialsNeeded],
    setUp: reply.setUp,
    unit: limits?.unit ?? null,
    ...(limits === null ? {} : { maxLength: limits.maxLength }),
  };
}

async function describe(connector: Connector<any, any>) {
  const specs = (schema: Record<string, FieldSpec>) => Object.fromEntries(Object.entries(schema).map(([name, spec]) => [name, { ...spec }]));
  return {
    type: connector.id,
    displayName: connector.displayName,
    kind: connector.kind,
    version: connector.version,
    defaultPollMinutes: connector.defaultPollMinutes,
    config: specs(connector.configSchema),
    credentials: specs(connector.credentialsSchema),
    capabilities: { ...connector.capabilities },
    reply: await describeReply(connector),
  };
}

/** What a UI needs to build its "add a source" forms, from the connectors themselves. */
export const sourceTypeRoutes: FastifyPluginAsync = async (app) => {
  // Connectors are fixed for the life of the process: described once.
  const types = (await Promise.all(Object.values(connectors).map(describe))).sort((a, b) => a.type.localeCompare(b.type));
  app.get(
    '/v1/source-types',
    {
      config: { access: { roles: EVERY_ROLE } },
      schema: {
        summary: 'Every source type with its settings and capabilities',
        tags: ['sources'],
        querystring: noQuery,
        response: { 200: sourceTypes, ...errorResponses(401) },
      },
    },
    async () => ({ types, unsupported: unsupportedPlatforms }),
  );
};
