import nock from 'nock';
import { googlePlaces } from '../../../connectors/google-places/index.ts';
import type { ContractAdapter, FakeItem, FakePlatform } from './adapter.ts';

const ORIGIN = 'https://places.googleapis.test';
const PLACE = 'ChIJSynthContractPlace0001';
const API_KEY = 'AIzaSyntheticContractKey-0123456789';
// Google shows at most five reviews of a place.
const SHOWN_REVIEWS = 5;

/** Google's RFC 3339 time with nanoseconds. */
const googleTime = (at: Date) => at.toISOString().replace(/Z$/, '000000Z');

function renderReview(item: FakeItem) {
  const text = { text: item.text, languageCode: 'en' };
  return {
    name: `places/${PLACE}/reviews/ChZSynthContract${item.id}`,
    relativePublishTimeDescription: 'an hour ago',
    rating: item.rating,
    text,
    originalText: text,
    authorAttribution: {
      displayName: item.author,
      uri: `https://www.google.com/maps/contrib/1000000000000${item.id}`,
      photoUri: `https://lh3.googleusercontent.com/a/synthetic-${item.id}=s128-c0x00000000-cc-rp-mo`,
    },
    publishTime: googleTime(item.publishedAt),
    flagContentUri: `https://www.google.com/local/review/rap/report?postId=ChZSynthContract${item.id}`,
    googleMapsUri: `https://www.google.com/maps/reviews/data=!4m8!14m7!1m6!2m5!1sChZSynthContract${item.id}`,
  };
}

function placeDetails(platform: FakePlatform) {
  // Google picks the five; this fake shows the newest.
  const shown = [...platform.items]
    .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime())
    .slice(0, Math.min(platform.pageSize, SHOWN_REVIEWS));
  const place: Record<string, unknown> = {
    id: PLACE,
    displayName: { text: 'Synthetic Contract Bakery', languageCode: 'en' },
    googleMapsUri: 'https://maps.google.com/?cid=2222222222222222222',
  };
  if (platform.items.length > 0) {
    place.rating = platform.items.reduce((sum, item) => sum + item.rating, 0) / platform.items.length;
    place.userRatingCount = platform.items.length;
    // Google leaves `reviews` out when there are none.
    place.reviews = shown.map(renderReview);
  }
  return place;
}

const googleError = (code: number, status: string, message: string) => JSON.stringify({ error: { code, message, status } });

export const adapter: ContractAdapter = {
  connector: googlePlaces,
  config: { placeId: PLACE, baseUrl: ORIGIN },
  credentials: { apiKey: API_KEY },
  origin: ORIGIN,
  externalId: (fakeId) => `places/${PLACE}/reviews/ChZSynthContract${fakeId}`,
  pages: false,
  term: 'Synthetic Contract Bakery',
  serve(platform) {
    nock(ORIGIN)
      .persist()
      .get(`/v1/places/${PLACE}`)
      // nock 15 hands reply functions the fetch Request.
      .reply((request: Request): [number, string, Record<string, string>] => {
        const json = { 'content-type': 'application/json; charset=UTF-8' };
        // Like Google: the field mask is mandatory and the key must be the one issued.
        if (!request.headers.has('x-goog-fieldmask')) return [400, googleError(400, 'INVALID_ARGUMENT', 'FieldMask is a required parameter.'), json];
        if (request.headers.get('x-goog-api-key') !== API_KEY) return [400, googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.'), json];
        platform.requests++;
        const failure = platform.failures.shift();
        // A list where the place object belongs.
        if (failure === 'malformed') return [200, JSON.stringify([placeDetails(platform)]), json];
        if (failure !== undefined) return [failure.status, failure.body, failure.headers ?? {}];
        return [200, JSON.stringify(placeDetails(platform)), json];
      });
  },
};
