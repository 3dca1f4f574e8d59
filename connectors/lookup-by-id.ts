import { ConnectorError, type ConnectorContext, type HttpRequest, type NormalizedItem, type Recheck } from './contract.ts';

const MAX_KEPT_PAYLOAD_CHARS = 64 * 1024;

/** What a platform answered about one item asked for by id. */
export type LookedUp = { found: unknown } | 'gone' | 'unclear';

/**
 * One item by id. Statuses in `gone` say it no longer exists, those in `unclear` say
 * nothing about it (a 403 is about the caller); any other failure is thrown as usual,
 * and a 2xx body that is not JSON is `bad_payload`.
 */
export async function lookUpById(
  ctx: ConnectorContext,
  platform: string,
  request: Omit<HttpRequest, 'answers'>,
  statuses: { gone: number[]; unclear: number[] } = { gone: [404, 410], unclear: [403] },
): Promise<LookedUp> {
  const response = await ctx.http.send({ ...request, answers: [...statuses.gone, ...statuses.unclear] });
  if (statuses.gone.includes(response.status)) return 'gone';
  if (statuses.unclear.includes(response.status)) return 'unclear';
  try {
    return { found: JSON.parse(response.text) as unknown };
  } catch (error) {
    throw new ConnectorError('bad_payload', `${platform} ${request.label} returned a body that is not JSON`, {
      status: response.status,
      payload: response.text.slice(0, MAX_KEPT_PAYLOAD_CHARS),
      cause: error,
    });
  }
}

/** Asks about each id in turn: an item still shown, 'removed', or null when the answer is unclear. */
export async function recheckEach(ids: readonly string[], lookUp: (id: string) => Promise<NormalizedItem | 'removed' | null>): Promise<Recheck> {
  const answer: Recheck = { items: [], removed: [] };
  for (const id of ids) {
    const found = await lookUp(id);
    if (found === 'removed') answer.removed.push(id);
    else if (found !== null) answer.items.push(found);
  }
  return answer;
}
