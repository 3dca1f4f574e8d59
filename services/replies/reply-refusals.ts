/**
 * Why a reply is refused before its undo window starts. Features throw these; the API
 * maps them to 400/409 and the web app shows `message` beside the named field.
 */
export type ReplyInputCode = 'text_empty' | 'too_long' | 'not_allowed' | 'reply_not_supported' | 'replies_not_set_up' | 'replaces_not_current';

export class ReplyInputRefused extends Error {
  readonly code: ReplyInputCode;
  /** The input to fix, when the person can fix it by changing one. */
  readonly field: 'text' | 'replaces' | null;
  constructor(code: ReplyInputCode, field: 'text' | 'replaces' | null, message: string) {
    super(message);
    this.name = 'ReplyInputRefused';
    this.code = code;
    this.field = field;
  }
}

/** The platform could not be asked for its reply limit just now (down, or rate limited): try again shortly. */
export class ReplyPlatformUnreachable extends Error {
  constructor(platform: string, detail: string) {
    super(`${platform} could not be reached to check the reply's length (${detail}); try again in a minute.`);
    this.name = 'ReplyPlatformUnreachable';
  }
}

/** Only a reply still in its undo window can be taken back; `status` is where it is now. */
export class ReplyNotCancellable extends Error {
  readonly status: string;
  constructor(status: string) {
    super(`the reply can no longer be cancelled: it is ${status.replace('_', ' ')}`);
    this.name = 'ReplyNotCancellable';
    this.status = status;
  }
}
