import { pino, type Logger } from 'pino';
import type { Config } from '../../config/config.ts';

/** The one logger; credentials and keys are redacted wherever they might be logged. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: ['credentials', '*.credentials', 'req.headers.authorization', 'apiKey', '*.apiKey', 'appPassword', '*.appPassword', 'password', '*.password'],
      censor: '[redacted]',
    },
  });
}
