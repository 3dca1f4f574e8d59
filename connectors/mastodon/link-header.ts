/**
 * The paging ids in a Mastodon `Link` header:
 * `<https://host/api/v1/timelines/tag/x?max_id=1>; rel="next", <https://host/…?min_id=9>; rel="prev"`.
 * Only the ids are taken: the URLs are rebuilt on the configured API root, so a
 * header naming another host is never followed.
 */
export function linkParam(header: string | undefined, rel: 'next' | 'prev', param: 'max_id' | 'min_id'): string | null {
  if (header === undefined) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match === null) continue;
    const rels = /;\s*rel="?([^";]+)"?/i.exec(match[2] ?? '')?.[1]?.split(/\s+/) ?? [];
    if (!rels.includes(rel)) continue;
    try {
      const value = new URL(match[1]!, 'https://link.invalid').searchParams.get(param);
      return value === null || value === '' ? null : value;
    } catch {
      return null;
    }
  }
  return null;
}
