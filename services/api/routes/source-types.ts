import type { FastifyPluginAsync } from 'fastify';
import type { Connector, FieldSpec } from '../../../connectors/contract.ts';
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

const sourceTypes = {
  type: 'object',
  required: ['types', 'unsupported'],
  additionalProperties: false,
  properties: {
    types: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'displayName', 'kind', 'version', 'defaultPollMinutes', 'config', 'credentials', 'capabilities'],
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

function describe(connector: Connector<any, any>) {
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
  };
}

/** What a UI needs to build its "add a source" forms, from the connectors themselves. */
export const sourceTypeRoutes: FastifyPluginAsync = async (app) => {
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
    async () => ({
      types: Object.values(connectors)
        .map(describe)
        .sort((a, b) => a.type.localeCompare(b.type)),
      unsupported: unsupportedPlatforms,
    }),
  );
};
