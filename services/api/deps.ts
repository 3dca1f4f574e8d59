import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../db/database.ts';
import type { ResponseFactsCache } from '../response-times/response-facts-cache.ts';
import type { Queues } from '../jobs/queues.ts';
import type { CredentialsKey } from '../sources/credentials.ts';

/** Everything the API needs from the outside, passed in explicitly: no globals. */
export interface ApiDeps {
  db: Db;
  queues: Queues;
  config: Config;
  credentialsKey: CredentialsKey;
  /** Item facts for response-time figures, kept between requests; one is made when omitted. */
  responseFacts?: ResponseFactsCache;
  /** A pino logger to share with the rest of the process; false: silent; omitted: one at `config.logLevel`. */
  logger?: Logger | false;
  /** Readiness probe for Redis; defaults to a PING on the queues' connection. */
  checkRedis?: () => Promise<void>;
}

/** The deps as the app's routes and pages get them: what could be left out is filled in, once per app. */
export interface AppDeps extends ApiDeps {
  /** One per app, shared by the API's figures and the web app's reports (it holds every item's facts in memory). */
  responseFacts: ResponseFactsCache;
}
