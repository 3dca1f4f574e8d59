import type { AlertMessage, Channel } from '../../../services/alerts/channels/contract.ts';

/**
 * The contract suite (suite.ts) runs the same scenarios over every channel. Each channel
 * supplies an adapter: a fake receiver (nock for HTTP receivers, the in-process SMTP
 * server for email) that the suite can make refuse, rate-limit or hang, and a check of
 * the exact form a receiver gets.
 */

/** One request as the receiver saw it. */
export interface Received {
  headers: Record<string, string>;
  body: string;
}

/** What the receiver answers the next message instead of accepting it. */
export type FakeFailure =
  | { kind: 'refuse'; status: number; body: string }
  | { kind: 'rate_limit'; retryAfterSeconds: number }
  | { kind: 'unavailable' }
  /** Takes the whole message, then never answers. */
  | { kind: 'hang' };

export interface FakeReceiver {
  /** Every message that reached the receiver, accepted or not. */
  received: Received[];
  /** Messages the receiver accepted. */
  accepted: Received[];
  failNext(failure: FakeFailure): void;
  /** For email: the SMTP server the transport sends through (the server's own setting, not the channel's). */
  smtpUrl?: string;
  stop(): Promise<void>;
}

export interface ChannelAdapter {
  channel: Channel<any, any>;
  /** Config and credentials as an owner enters them, pointing at `receiver` once started. */
  settings(receiver: FakeReceiver): { config: Record<string, unknown>; credentials: Record<string, unknown> };
  /** Whether the receiver's config names a URL (the private-address rule applies to it). */
  urlField: string | null;
  /** Failure kinds this receiver can produce (SMTP has no 429). */
  failures: ReadonlyArray<FakeFailure['kind']>;
  start(): Promise<FakeReceiver>;
  /** Checks what the receiver got for `message` (sent at `now`) against the channel's documented form. */
  expectWireForm(received: Received, message: AlertMessage, now: Date, settings: { config: Record<string, unknown>; credentials: Record<string, unknown> }): void;
  /** What a receiver's refusal with `status` means: 'config', except where the channel's protocol says otherwise. */
  refusalKind?: (status: number) => 'config' | 'transient';
  /** The status a refusal uses in the suite (an HTTP 4xx, or an SMTP 5xx). */
  refusalStatus: number;
  /** The error kind a receiver that hangs after taking the message gives. */
  hangKind: 'unknown_outcome' | 'transient';
}
