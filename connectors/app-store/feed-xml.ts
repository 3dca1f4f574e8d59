import { badPayload, dateOrNull } from '../payload-shape.ts';
import { nonEmpty, pageNumberIn, ratingFrom, type FeedPage, type FeedReview } from './feed-json.ts';

/**
 * The Atom (XML) variant of the customer-reviews feed, read only as far as Earshot
 * needs: each `<entry>`'s `<updated>`, `<id>`, `<im:rating>`, `<title>`,
 * `<content type="text">`, `<im:version>` and `<author><name>`, plus the feed's
 * `last` link. Apple writes this feed flat (no nesting of the same element, no
 * DTD), so a small reader of these elements is enough; it decodes character
 * references and CDATA sections, and skips comments.
 */

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeText(raw: string): string {
  // CDATA is literal; everything else may carry entity and character references.
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) => (part.startsWith('<![CDATA[') ? part.slice(9, -3) : decodeReferences(part)))
    .join('');
}

function decodeReferences(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

const escapeName = (name: string) => name.replace(/[.*+?^${}()|[\]\\:]/g, '\\$&');

interface Element {
  attributes: string;
  /** The raw content between the tags ('' for a self-closing element). */
  inner: string;
}

/** Every `<name …>…</name>` (or `<name …/>`) in `xml`, in order. */
function elements(xml: string, name: string): Element[] {
  const tag = escapeName(name);
  const pattern = new RegExp(`<${tag}((?:\\s[^>]*?)?)(?:/>|>([\\s\\S]*?)</${tag}\\s*>)`, 'g');
  return [...xml.matchAll(pattern)].map((match) => ({ attributes: match[1] ?? '', inner: match[2] ?? '' }));
}

function firstText(xml: string, name: string): string | null {
  const [element] = elements(xml, name);
  return element === undefined ? null : decodeText(element.inner);
}

function attribute(attributes: string, name: string): string | null {
  const match = new RegExp(`\\s${escapeName(name)}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
  return match === null ? null : decodeReferences(match[1] ?? match[2] ?? '');
}

function textContent(entry: string): string {
  // An entry carries the review twice: as text and as an HTML rendering. Only the text one is the review.
  const contents = elements(entry, 'content');
  const text = contents.find((content) => (attribute(content.attributes, 'type') ?? 'text') === 'text');
  return text === undefined ? '' : decodeText(text.inner);
}

function lastPage(head: string): number | null {
  for (const link of elements(head, 'link')) {
    const href = attribute(link.attributes, 'href');
    if (attribute(link.attributes, 'rel') === 'last' && href !== null) return pageNumberIn(href);
  }
  return null;
}

export function readXmlFeed(text: string, what: string): FeedPage {
  const xml = text.replace(/<!--[\s\S]*?-->/g, '');
  if (!/<feed[\s>]/.test(xml)) throw badPayload(`${what}: the response is not an Atom feed`, text);
  const firstEntry = xml.search(/<entry[\s>]/);
  const reviews: FeedReview[] = [];
  for (const [index, entry] of elements(xml, 'entry').entries()) {
    const rating = firstText(entry.inner, 'im:rating');
    // The app-metadata entry of older feeds is not a review.
    if (rating === null) continue;
    const id = firstText(entry.inner, 'id')?.trim() ?? '';
    if (id === '') throw badPayload(`${what}: review entry ${index} has no <id>`, text);
    const [author] = elements(entry.inner, 'author');
    reviews.push({
      id,
      rating: ratingFrom(rating),
      title: nonEmpty(firstText(entry.inner, 'title')),
      body: textContent(entry.inner),
      author: author === undefined ? null : nonEmpty(firstText(author.inner, 'name')),
      version: nonEmpty(firstText(entry.inner, 'im:version')),
      updated: dateOrNull(firstText(entry.inner, 'updated')?.trim()),
      raw: { id, updated: firstText(entry.inner, 'updated')?.trim() ?? null, rating, source: 'xml' },
    });
  }
  return { reviews, lastPage: lastPage(firstEntry === -1 ? xml : xml.slice(0, firstEntry)) };
}
