import type { Connector, ConnectorContext, HttpRequest } from '../contract.ts';
import { readPlaceDetails, reviewToItem } from './place-details.ts';
import { rememberVersions, unreportedItems } from '../seen-versions.ts';
import { MAX_REMEMBERED, readPlacesCursor, type PlacesCursor } from './cursor.ts';
import { configSchema, credentialsSchema, parseSettings, type GooglePlacesConfig, type GooglePlacesCredentials } from './settings.ts';

// Google bills by the most expensive field asked for; `reviews` is the point of the call.
const FIELD_MASK = 'id,displayName,rating,userRatingCount,googleMapsUri,reviews';

function placeDetailsRequest(config: GooglePlacesConfig, credentials: GooglePlacesCredentials): HttpRequest {
  const url = new URL(`${config.baseUrl}/v1/places/${encodeURIComponent(config.placeId)}`);
  if (config.languageCode !== undefined) url.searchParams.set('languageCode', config.languageCode);
  return {
    url: url.toString(),
    headers: { 'X-Goog-Api-Key': credentials.apiKey, 'X-Goog-FieldMask': FIELD_MASK },
    label: 'place details',
  };
}

async function fetchPlace(config: GooglePlacesConfig, credentials: GooglePlacesCredentials, ctx: ConnectorContext) {
  const response = await ctx.http.json(placeDetailsRequest(config, credentials));
  return readPlaceDetails(response.body);
}

/** Google Places (New) Place Details: the up to five reviews Google shows for a place. */
export const googlePlaces: Connector<GooglePlacesConfig, GooglePlacesCredentials> = {
  id: 'google_places',
  version: '1.0.0',
  displayName: 'Google (Places API)',
  shortName: 'Google',
  repliable: true,
  kind: 'review',
  configSchema,
  credentialsSchema,
  // Every call is billed at Google's top Place Details tier, and Google shows only five reviews anyway.
  defaultPollMinutes: 60,
  budget: { requests: 600, windowSeconds: 60 },
  // Edits: a shown review whose text or rating changed under the same name (Google gives no edit time).
  capabilities: { hasRatings: true, detectsOwnerReplies: false, seesEdits: true, push: false, maxItemsPerPoll: 5 },
  parseConfig: parseSettings,
  async check(config, credentials, ctx) {
    await fetchPlace(config, credentials, ctx);
  },
  async *fetch(config, credentials, cursor, ctx) {
    const place = await fetchPlace(config, credentials, ctx);
    const seen = readPlacesCursor(cursor);
    const items = place.reviews.map((review) => reviewToItem(review, place));
    // Places gives no update time: an edited review comes with updatedAt null and its new
    // text or rating, and the core compares it with what it stored.
    const unreported = unreportedItems(items, seen);
    const next: PlacesCursor = { seen: rememberVersions(seen, items, MAX_REMEMBERED) };
    ctx.log.debug({ reviews: items.length, unreported: unreported.length }, 'google_places reviews read');
    yield { items: unreported, cursor: next };
  },
};
