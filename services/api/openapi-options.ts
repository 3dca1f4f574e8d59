import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';

const API_VERSION = '1.0.0';

const DESCRIPTION = `Reviews and mentions of your businesses, flagged and tracked to a response.

Authenticate with \`Authorization: Bearer <API key>\`. Errors are \`{"error": {"code", "message", "field"?}}\`;
branch on \`code\`. Ids of other accounts answer 404, exactly like ids that do not exist.

**Response time** of an item is the earliest of the owner reply seen on the platform and the first
\`respond\` in Earshot, minus the item's \`publishedAt\` (or \`firstSeenAt\` when the platform gives no
date). \`resolve\` is not a response. Unanswered items are open, and overdue once older than the
business's \`slaHours\`.`;

/** Route schemas carry this when an empty request is as good as `{}`. */
export const OPTIONAL_BODY = 'x-optional-body';

type Operation = { requestBody?: { required?: boolean } } & Record<string, unknown>;
type Document = { paths?: Record<string, Record<string, Operation> | undefined> };

/**
 * @fastify/swagger marks every body as required; the marked routes accept none
 * (see their preValidation), and generated clients should know.
 */
function markOptionalBodies<D extends Document>(document: D): D {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations ?? {})) {
      if (operation[OPTIONAL_BODY] !== true) continue;
      delete operation[OPTIONAL_BODY];
      if (operation.requestBody) operation.requestBody.required = false;
    }
  }
  return document;
}

/** How the OpenAPI document is generated from the route schemas. */
export const openapiOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Earshot',
      version: API_VERSION,
      description: DESCRIPTION,
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An Earshot API key' } } },
    security: [{ bearer: [] }],
  },
  // Shared schemas keep their names in the document instead of becoming def-0, def-1, …
  refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  transformObject: (documentObject) => {
    if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
    return markOptionalBodies(documentObject.openapiObject as Document) as typeof documentObject.openapiObject;
  },
};
