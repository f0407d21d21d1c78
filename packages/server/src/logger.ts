/**
 * Structured logs with pino. Logs must never hold activity data or
 * credentials: requests are logged as method, path (without the query
 * string, which may carry personal filters) and a truncated address, and a
 * redaction list catches secrets in anything else that gets logged.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { truncateIp } from '@sundial/core';
import type { LogLevel } from './config.js';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.token',
  '*.secret',
  '*.code',
  '*.email',
  '*.name',
  '*.title',
  '*.url',
  '*.app',
  '*.domain',
  '*.masterKey',
];

interface LoggableRequest {
  method?: string;
  url?: string;
  ip?: string;
}

interface LoggableReply {
  statusCode?: number;
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: LoggableRequest) => ({
          method: req.method,
          path: (req.url ?? '').split('?')[0],
          remote: req.ip ? truncateIp(req.ip) : undefined,
        }),
        res: (res: LoggableReply) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
