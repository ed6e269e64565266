import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Params } from 'nestjs-pino';
import { AppConfig } from '../../config/config';

/**
 * Paths pino replaces with "[redacted]" wherever they appear in a log object. GraphQL variables are never
 * logged at all (they carry reporters' contacts, narratives and personal identifiers); this list guards the
 * rest: credentials in headers, and personal fields should any code log a document or an input.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.accessToken',
  '*.refreshToken',
  '*.reporterContact',
  '*.reporterContactEnc',
  '*.reporterHash',
  '*.narrative',
  '*.email',
  '*.phone',
  'variables',
  '*.variables',
];

export function loggerParams(cfg: AppConfig): Params {
  return {
    pinoHttp: {
      level: cfg.log.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
      },
      // Only the operational facts of a request: the body (GraphQL variables) is never serialised.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req: IncomingMessage) => ['/health', '/ready', '/metrics'].includes(req.url ?? '') },
      transport: cfg.log.pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
    },
  };
}
