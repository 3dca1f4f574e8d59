import type { ItemReplyState } from '../../db/repositories/item-replies.ts';
import { ReplyInputRefused } from './reply-refusals.ts';

/**
 * No blind overwrite: a reply without `replaces` is for an item with no reply yet, and
 * `replaces` must name the item's current Earshot reply, with nothing else on its way.
 * The web app sends what it showed the person, so two people never answer over each other.
 */
export function checkReplyOrder(
  state: ItemReplyState,
  replaces: string | null,
  item: { ownerReplyText: string | null },
  platform: { shortName: string; canUpdate: boolean },
): void {
  if (state.inFlight !== null) {
    throw new ReplyInputRefused(
      'replaces_not_current',
      'replaces',
      'Another reply to this item is already on its way; wait until it is published, then change it if needed.',
    );
  }
  if (replaces === null) {
    if (state.current !== null) {
      throw new ReplyInputRefused('replaces_not_current', 'replaces', 'This item already has a reply from Earshot; reload the item and change that reply instead.');
    }
    if (item.ownerReplyText !== null) {
      throw new ReplyInputRefused('replaces_not_current', 'replaces', `${platform.shortName} already shows a reply to this item, sent outside Earshot; it is not overwritten from here.`);
    }
    return;
  }
  if (state.current?.id !== replaces) {
    throw new ReplyInputRefused('replaces_not_current', 'replaces', "The reply you are changing is no longer this item's current reply; reload the item to see the one there now.");
  }
  if (!platform.canUpdate) {
    throw new ReplyInputRefused('not_allowed', 'replaces', `${platform.shortName} does not let a published reply be changed.`);
  }
}
