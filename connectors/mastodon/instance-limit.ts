import type { ConnectorContext } from '../contract.ts';
import { isRecord } from '../payload-shape.ts';
import type { MastodonConfig } from './settings.ts';

// Mastodon's own default; instances may raise it.
const DEFAULT_MAX_CHARACTERS = 500;

function maxCharacters(body: unknown): number | null {
  if (!isRecord(body)) return null;
  const configuration = isRecord(body.configuration) ? body.configuration : {};
  const statuses = isRecord(configuration.statuses) ? configuration.statuses : {};
  // `max_toot_chars` is where Pleroma, Akkoma and older forks put it.
  const value = statuses.max_characters ?? body.max_toot_chars;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * The longest post the instance accepts: `/api/v2/instance` (Mastodon 4.0+), else the
 * v1 document older servers and other software still serve, else Mastodon's 500.
 */
export async function instanceMaxCharacters(ctx: ConnectorContext, config: MastodonConfig): Promise<number> {
  for (const version of ['v2', 'v1']) {
    const response = await ctx.http.send({ url: `${config.baseUrl}/api/${version}/instance`, label: `instance (${version})`, answers: [404] });
    if (response.status === 404) continue;
    try {
      return maxCharacters(JSON.parse(response.text)) ?? DEFAULT_MAX_CHARACTERS;
    } catch {
      return DEFAULT_MAX_CHARACTERS;
    }
  }
  return DEFAULT_MAX_CHARACTERS;
}
