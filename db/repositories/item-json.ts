import { sql, type RawBuilder } from 'kysely';

/**
 * The API's Item JSON (`presentItem` in services/api/schemas/item.ts), written by
 * PostgreSQL as text: the item list sends these bytes as they come, instead of parsing
 * 27 columns per row into objects and serialising them back in Node, which was most of
 * the list's cost. The text must be exactly what Fastify's serialiser makes of
 * `presentItem(item)`: same keys in the schema's order, no spaces, dates as
 * `Date.toISOString()` writes them, numbers as JavaScript writes them.
 * test/api/item-json.test.ts compares the two byte for byte.
 *
 * Built by concatenation, not json_build_object, which puts spaces around colons.
 */

type Json = RawBuilder<string>;

/** Any value as JSON (strings escaped, arrays as arrays); SQL NULL as `null`. */
function value(column: string): Json {
  return sql<string>`coalesce(to_json(${sql.ref(column)})::text, 'null')`;
}

/**
 * A uuid, or a word its column's CHECK constraint limits to a few plain ones: quoted as
 * it is, since none holds a character JSON escapes (to_json would look that up per value).
 */
function word(column: string): Json {
  return sql<string>`coalesce('"' || ${sql.ref(column)} || '"', 'null')`;
}

/** An integer column as its digits. */
function integer(column: string): Json {
  return sql<string>`coalesce(${sql.ref(column)}::text, 'null')`;
}

/** `Date.toISOString()`: milliseconds (node-postgres truncates the microseconds away), UTC, `Z`. */
function isoDate(column: string): Json {
  return sql<string>`coalesce('"' || to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')`;
}

/**
 * A `real` as JavaScript prints the number node-postgres parses from it. PostgreSQL
 * writes the same shortest digits, but in exponent form below 1e-4 (`1.5e-05`, where
 * JavaScript writes `0.000015`, and `1e-7` for `1e-07`) and keeps the sign of zero.
 */
function jsNumber(column: string): Json {
  const text = sql<string>`${sql.ref(column)}::text`;
  return sql<string>`CASE
    WHEN ${sql.ref(column)} = 0 THEN '0'
    WHEN abs(${text}::numeric) >= 0.000001 THEN (${text}::numeric)::text
    ELSE regexp_replace(${text}, 'e-0*', 'e-')
  END`;
}

/** `{"key":value,...}` from JSON fragments, in the order given. */
function object(fields: ReadonlyArray<readonly [string, Json]>): Json {
  const parts = fields.map(([key, json], index) => sql`${sql.lit(`${index === 0 ? '{' : ','}${JSON.stringify(key)}:`)} || ${json}`);
  return sql<string>`(${sql.join(parts, sql` || `)} || '}')`;
}

/** `null` when `column` is NULL, else the object. */
function objectUnless(nullColumn: string, fields: ReadonlyArray<readonly [string, Json]>): Json {
  return sql<string>`CASE WHEN ${sql.ref(nullColumn)} IS NULL THEN 'null' ELSE ${object(fields)} END`;
}

/** One item row (`items`) as the API's Item JSON text. */
export const ITEM_JSON: Json = object([
  ['id', word('items.id')],
  ['sourceId', word('items.source_id')],
  ['businessId', word('items.business_id')],
  ['kind', word('items.kind')],
  ['externalId', value('items.external_id')],
  ['url', value('items.url')],
  ['author', value('items.author')],
  ['rating', integer('items.rating')],
  ['title', value('items.title')],
  ['body', value('items.body')],
  ['language', value('items.language')],
  ['publishedAt', isoDate('items.published_at')],
  ['firstSeenAt', isoDate('items.first_seen_at')],
  [
    'sentiment',
    sql<string>`CASE WHEN items.sentiment_label IS NULL OR items.sentiment_score IS NULL THEN 'null' ELSE ${object([
      ['score', jsNumber('items.sentiment_score')],
      ['label', word('items.sentiment_label')],
    ])} END`,
  ],
  ['topics', value('items.topics')],
  ['flagged', sql<string>`CASE WHEN items.flagged THEN 'true' ELSE 'false' END`],
  ['status', word('items.status')],
  ['respondedAt', isoDate('items.responded_at')],
  ['resolvedAt', isoDate('items.resolved_at')],
  ['firstResponseAt', isoDate('items.first_response_at')],
  ['firstResponseSource', word('items.first_response_source')],
  [
    'ownerReply',
    objectUnless('items.owner_reply_text', [
      ['text', value('items.owner_reply_text')],
      ['at', isoDate('items.owner_reply_at')],
    ]),
  ],
  [
    'assignee',
    objectUnless('items.assignee', [
      ['name', value('items.assignee')],
      ['keyId', word('items.assignee_key_id')],
    ]),
  ],
]);
