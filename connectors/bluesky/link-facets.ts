/**
 * Bluesky shows a link in a post as a link only when the record carries a facet for
 * it (app.bsky.richtext.facet), placed by UTF-8 byte offsets; apps add them as you
 * type, and a reply posted through the API must do the same.
 */
export interface LinkFacet {
  index: { byteStart: number; byteEnd: number };
  features: [{ $type: 'app.bsky.richtext.facet#link'; uri: string }];
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/g;
// Punctuation that ends a sentence is not part of the link before it.
const TRAILING_PUNCTUATION = /[.,;:!?'")\]]+$/;

export function linkFacets(text: string): LinkFacet[] {
  const facets: LinkFacet[] = [];
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const uri = match[0].replace(TRAILING_PUNCTUATION, '');
    if (!URL.canParse(uri)) continue;
    const byteStart = Buffer.byteLength(text.slice(0, match.index));
    facets.push({ index: { byteStart, byteEnd: byteStart + Buffer.byteLength(uri) }, features: [{ $type: 'app.bsky.richtext.facet#link', uri }] });
  }
  return facets;
}
