import type { Connector } from '../../../connectors/contract.ts';

/**
 * The contract suite (suite.ts) runs the same scenarios over every connector. Each
 * connector supplies an adapter: a fake of its platform, served with nock in the
 * platform's real response shapes, driven by a FakePlatform the suite mutates
 * between runs.
 */

/** One review or post as the platform holds it; the adapter renders it in the platform's shape. */
export interface FakeItem {
  /** The platform's own id; the adapter turns it into whatever id the platform uses. */
  id: string;
  text: string;
  author: string;
  /** 1–5; ignored by platforms without ratings. */
  rating: number;
  publishedAt: Date;
  /** Set when the suite edits the item (platforms that show edits). */
  updatedAt: Date | null;
  /** Set when the owner replied (platforms that show replies). */
  ownerReply: { text: string; at: Date } | null;
}

/** A response the next data request gets instead of the normal one. */
export type FakeFailure = { status: number; headers?: Record<string, string>; body: string } | 'malformed';

export interface FakePlatform {
  /** Newest first is NOT guaranteed; adapters sort as their platform does. */
  items: FakeItem[];
  /** Items per response page the fake serves (the adapter may clamp to the platform's maximum). */
  pageSize: number;
  /** Consumed one per data request, before serving items (auth/token requests are not data requests). */
  failures: FakeFailure[];
  /** Data requests served so far (for assertions about paging). */
  requests: number;
}

export interface ContractAdapter {
  connector: Connector<any, any>;
  /** Raw source config and credentials as a user would POST them; baseUrl points at `origin`. */
  config: Record<string, unknown>;
  credentials: Record<string, string>;
  /** The fake platform's origin, e.g. https://api.yelp.test (nock intercepts it). */
  origin: string;
  /** The externalId the connector must give the fake item with this id. */
  externalId(fakeId: string): string;
  /**
   * Registers persistent nock interceptors on `origin` answering from `platform` on
   * every request (read it at reply time: the suite changes it between runs).
   * 'malformed' failures must answer 200 with a body of the right content type but
   * the wrong shape (e.g. a list where an object belongs).
   */
  serve(platform: FakePlatform): void;
  /** Whether the platform pages (several responses per poll). */
  pages: boolean;
  /**
   * Mention connectors only keep texts containing one of their terms; the suite puts
   * this phrase in every fake text. Use the same phrase in `config.terms`.
   */
  term: string;
}
