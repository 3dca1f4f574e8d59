import { createHash } from 'node:crypto';
import type { NormalizedItem } from '../contract.ts';
import { htmlToText } from '../html-text.ts';
import { badPayload } from '../payload-shape.ts';
import { childElements, firstChild, parseXml, textContent, XmlError, type XmlElement } from './xml.ts';

const ATOM = 'http://www.w3.org/2005/Atom';
const DC = 'http://purl.org/dc/elements/1.1/';
const CONTENT = 'http://purl.org/rss/1.0/modules/content/';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface FeedEntry {
  format: 'rss' | 'atom';
  id: string | null;
  title: string | null;
  link: string | null;
  body: string;
  author: string | null;
  language: string | null;
  published: Date | null;
  updated: Date | null;
  /** The entry's element, kept for inspection. */
  raw: XmlElement;
}

function text(element: XmlElement | null): string | null {
  if (element === null) return null;
  const value = textContent(element).trim();
  return value === '' ? null : value;
}

/** RFC 822 (`Mon, 02 Mar 2026 12:00:00 GMT`, `+0100`, `EST`) and ISO 8601 both parse; anything else is no date. */
function date(value: string | null): Date | null {
  if (value === null) return null;
  const at = new Date(value.replace(/\bUT\b/, 'UTC'));
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Atom text constructs: type="html" is escaped HTML, "xhtml" is markup inline, "text" (default) is plain. */
function atomText(element: XmlElement | null): string | null {
  if (element === null) return null;
  const type = element.attributes.type ?? 'text';
  const value = type === 'html' || type === 'text/html' || type === 'xhtml' ? htmlToText(textContent(element)) : textContent(element).trim();
  return value === '' ? null : value;
}

function absolute(href: string | null, base: string): string | null {
  if (href === null) return null;
  return URL.canParse(href, base) ? new URL(href, base).toString() : null;
}

/** Google Alerts links go through a redirect (`https://www.google.com/url?…&url={real}&ct=ga…`); the real page is the link. */
export function unwrapRedirect(link: string | null): string | null {
  if (link === null || !URL.canParse(link)) return link;
  const url = new URL(link);
  if (!/(^|\.)google\.[a-z.]+$/.test(url.hostname) || url.pathname !== '/url') return link;
  const target = url.searchParams.get('url') ?? url.searchParams.get('q');
  return target !== null && /^https?:\/\//i.test(target) && URL.canParse(target) ? target : link;
}

/** RSS `author` is an email, often "jo@example.com (Jo Example)": the name when there is one. */
function rssAuthor(item: XmlElement): string | null {
  const creator = text(firstChild(item, 'creator', DC));
  if (creator !== null) return creator;
  const author = text(firstChild(item, 'author', ''));
  if (author === null) return null;
  return /\(([^)]+)\)\s*$/.exec(author)?.[1]?.trim() ?? author;
}

function rssEntries(root: XmlElement, feedUrl: string): FeedEntry[] {
  const channel = firstChild(root, 'channel');
  const language = channel === null ? null : text(firstChild(channel, 'language'));
  // RSS 2.0 keeps items in the channel; RSS 1.0 (RDF) beside it.
  const items = [...(channel === null ? [] : childElements(channel, 'item')), ...childElements(root, 'item')];
  return items.map((item) => {
    const guid = text(firstChild(item, 'guid', ''));
    const link = text(firstChild(item, 'link', ''));
    const html = text(firstChild(item, 'encoded', CONTENT)) ?? text(firstChild(item, 'description', '')) ?? '';
    const title = text(firstChild(item, 'title', ''));
    return {
      format: 'rss' as const,
      id: guid ?? item.attributes['http://www.w3.org/1999/02/22-rdf-syntax-ns#|about'] ?? null,
      title: title === null ? null : htmlToText(title),
      link: unwrapRedirect(absolute(link, feedUrl)),
      body: htmlToText(html),
      author: rssAuthor(item),
      language,
      published: date(text(firstChild(item, 'pubDate', ''))) ?? date(text(firstChild(item, 'date', DC))),
      updated: null,
      raw: item,
    };
  });
}

function atomLink(entry: XmlElement, base: string): string | null {
  const links = childElements(entry, 'link', ATOM);
  const alternate = links.find((link) => (link.attributes.rel ?? 'alternate') === 'alternate') ?? links[0];
  return absolute(alternate?.attributes.href ?? null, base);
}

function atomEntries(root: XmlElement, feedUrl: string): FeedEntry[] {
  const feedAuthor = text(firstChild(firstChild(root, 'author', ATOM) ?? root, 'name', ATOM));
  return childElements(root, 'entry', ATOM).map((entry) => {
    const base = absolute(entry.attributes[`${XML_NS}|base`] ?? root.attributes[`${XML_NS}|base`] ?? null, feedUrl) ?? feedUrl;
    const author = firstChild(entry, 'author', ATOM);
    const published = date(text(firstChild(entry, 'published', ATOM)));
    const updated = date(text(firstChild(entry, 'updated', ATOM)));
    return {
      format: 'atom' as const,
      id: text(firstChild(entry, 'id', ATOM)),
      title: atomText(firstChild(entry, 'title', ATOM)),
      link: unwrapRedirect(atomLink(entry, base)),
      body: atomText(firstChild(entry, 'content', ATOM)) ?? atomText(firstChild(entry, 'summary', ATOM)) ?? '',
      author: (author === null ? null : text(firstChild(author, 'name', ATOM))) ?? feedAuthor,
      language: entry.attributes[`${XML_NS}|lang`] ?? root.attributes[`${XML_NS}|lang`] ?? null,
      published: published ?? updated,
      updated: published !== null && updated !== null && updated.getTime() !== published.getTime() ? updated : null,
      raw: entry,
    };
  });
}

/** The entries of an RSS 2.0, RSS 1.0 or Atom document; anything else is a bad payload (the text is kept). */
export function readFeed(body: string, feedUrl: string): FeedEntry[] {
  let root: XmlElement;
  try {
    root = parseXml(body);
  } catch (error) {
    if (error instanceof XmlError) throw badPayload(`rss feed: not readable XML (${error.message})`, body);
    throw error;
  }
  if (root.name === 'feed' && root.ns === ATOM) return atomEntries(root, feedUrl);
  if (root.name === 'rss' || root.name === 'RDF') return rssEntries(root, feedUrl);
  throw badPayload(`rss feed: <${root.name}> is neither an RSS nor an Atom feed`, body);
}

export function entryExternalId(entry: FeedEntry): string {
  if (entry.id !== null) return entry.id;
  if (entry.link !== null) return entry.link;
  const digest = createHash('sha256').update(`${entry.title ?? ''}\n${entry.published?.toISOString() ?? ''}`).digest('hex');
  return `sha256:${digest.slice(0, 32)}`;
}

/** A plain view of the entry's element for `raw` (the element tree itself is not meant for JSON). */
function rawView(element: XmlElement): unknown {
  const view: Record<string, unknown> = { ...element.attributes };
  for (const child of childElements(element)) {
    const value = childElements(child).length > 0 ? rawView(child) : textContent(child);
    const key = child.ns === '' || child.ns === ATOM ? child.name : `${child.ns}|${child.name}`;
    const withAttributes = Object.keys(child.attributes).length > 0 && typeof value === 'string' ? { ...child.attributes, text: value } : value;
    view[key] = key in view ? [view[key], withAttributes].flat() : withAttributes;
  }
  return view;
}

export function entryToItem(entry: FeedEntry): NormalizedItem {
  return {
    externalId: entryExternalId(entry),
    kind: 'mention',
    url: entry.link,
    author: entry.author,
    rating: null,
    title: entry.title,
    body: entry.body,
    language: entry.language,
    publishedAt: entry.published,
    updatedAt: entry.updated,
    ownerReply: null,
    raw: rawView(entry.raw),
  };
}
