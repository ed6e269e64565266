import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { ApiErrorCode } from './api-error-code';
import { DomainError } from './domain-error';
import { apiCodeFor } from './error-mapping';
import { CommonError, CommonErrorCode } from './common.errors';
import { isTimeLimitError } from './mongo-errors';

const logger = new Logger('GraphQLErrors');

/** Apollo / graphql-js codes for malformed requests: all are the client's fault. */
const CLIENT_REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);
const API_CODES = new Set<string>(Object.values(ApiErrorCode));
const PASSED_EXTENSIONS = [
  'code',
  'field',
  'reason',
  'complexity',
  'maxComplexity',
  'depth',
  'maxDepth',
  'retryAfterSeconds',
];

/**
 * Apollo's formatError (the WebSocket's too, graphql.options.ts): every error leaves with `extensions.code`
 * from ApiErrorCode and nothing else a client could use against us (no stack, no driver message). Unknown
 * errors become INTERNAL with a log id that is also in the server log next to the real error. Echoed values
 * are clipped (clip).
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const out = mapError(formatted, error);
  const extensions = out.extensions && Object.fromEntries(Object.entries(out.extensions).map(([k, v]) => [k, clip(v)]));
  return { ...out, message: clip(out.message) as string, ...(extensions ? { extensions } : {}) };
}

/** Longest unbroken run of an echoed value kept in a message, and the longest message. */
const MAX_RUN = 64;
const MAX_MESSAGE = 600;

/**
 * Messages echo what the client sent (`No user with id …`, graphql-js's `got invalid value "…"`): a client
 * gets its own 10 KB value back, and logs and screens fill up. Every unbroken run longer than MAX_RUN is cut
 * to MAX_RUN characters and `…`, and the whole message to MAX_MESSAGE. The one place for it, so that no
 * feature has to remember.
 */
export function clip(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const runs = value.replace(
    new RegExp(`\\S{${MAX_RUN + 1},}`, 'gu'),
    (run) => `${[...run].slice(0, MAX_RUN).join('')}…`,
  );
  return runs.length > MAX_MESSAGE ? `${[...runs].slice(0, MAX_MESSAGE).join('')}…` : runs;
}

function mapError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = storeTimeoutOf(error instanceof GraphQLError ? (error.originalError ?? error) : error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

  // a domain error of a class nobody registered (a programming error) is logged as INTERNAL below
  const code = original instanceof DomainError ? apiCodeFor(original as DomainError) : undefined;
  if (original instanceof DomainError && code) {
    return {
      ...base,
      message: original.message,
      extensions: {
        code,
        reason: original.code,
        ...(original.field ? { field: original.field } : {}),
        ...(original.details ?? {}),
      },
    };
  }
  if (original instanceof HttpException) {
    const code = httpStatusToCode(original.getStatus());
    if (code !== ApiErrorCode.INTERNAL) return { ...base, extensions: { code } };
  }
  // Our own rules and plugins raise GraphQLErrors with an API code; Apollo may re-wrap them (validation
  // errors become GRAPHQL_VALIDATION_FAILED) but keeps ours as the original error.
  if (original instanceof GraphQLError && isPassThrough(original.extensions.code)) {
    return { ...base, message: original.message, extensions: pick(original.extensions, PASSED_EXTENSIONS) };
  }
  const ext = formatted.extensions ?? {};
  const rawCode = typeof ext.code === 'string' ? ext.code : undefined;
  if (rawCode && CLIENT_REQUEST_CODES.has(rawCode)) {
    const field = typeof ext.field === 'string' ? ext.field : fieldFromMessage(formatted.message);
    return { ...base, extensions: { code: ApiErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) } };
  }
  if (isPassThrough(rawCode)) return { ...base, extensions: pick(ext, PASSED_EXTENSIONS) };
  const logId = randomUUID();
  logger.error({ logId, err: original, path: formatted.path }, `unhandled error ${logId}`);
  return {
    message: `Internal server error (log id ${logId})`,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ApiErrorCode.INTERNAL, logId },
  };
}

/** A query the store stopped at its time limit is an answer (QUERY_TOO_COMPLEX, reason STORE_TIMEOUT: API.md's codes are a closed set), not a fault: no driver message leaves. */
function storeTimeoutOf(e: unknown): unknown {
  if (!isTimeLimitError(e)) return e;
  return new CommonError(
    CommonErrorCode.STORE_TIMEOUT,
    'The store did not answer within its time limit: narrow the filter, or retry later',
  );
}

export function httpStatusToCode(status: HttpStatus): ApiErrorCode {
  switch (status) {
    case HttpStatus.BAD_REQUEST:
    case HttpStatus.PAYLOAD_TOO_LARGE:
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
    case HttpStatus.UNPROCESSABLE_ENTITY:
      return ApiErrorCode.BAD_USER_INPUT;
    case HttpStatus.UNAUTHORIZED:
      return ApiErrorCode.UNAUTHENTICATED;
    case HttpStatus.FORBIDDEN:
      return ApiErrorCode.FORBIDDEN;
    case HttpStatus.NOT_FOUND:
      return ApiErrorCode.NOT_FOUND;
    case HttpStatus.CONFLICT:
      return ApiErrorCode.CONFLICT;
    case HttpStatus.TOO_MANY_REQUESTS:
      return ApiErrorCode.RATE_LIMITED;
    default:
      return ApiErrorCode.INTERNAL;
  }
}

/**
 * graphql-js variable coercion messages name the path: `Variable "$input" got invalid value 5 at
 * "input.fraudType"; ...` or `Variable "$id" of required type "ID!" was not provided.` Returns that path.
 */
export function fieldFromMessage(message: string): string | undefined {
  const at = /got invalid value .*? at "([^"]+)"/.exec(message);
  if (at) return at[1];
  const variable = /^Variable "\$([A-Za-z_][A-Za-z0-9_]*)"/.exec(message);
  if (variable) {
    const inner = /Field "([A-Za-z_][A-Za-z0-9_]*)" of required type .* was not provided/.exec(message);
    return inner ? `${variable[1]}.${inner[1]}` : variable[1];
  }
  const arg =
    /^Argument "([A-Za-z_][A-Za-z0-9_]*)"/.exec(message) ?? /argument "([A-Za-z_][A-Za-z0-9_]*)"/.exec(message);
  return arg ? arg[1] : undefined;
}

function isPassThrough(code: unknown): boolean {
  return typeof code === 'string' && API_CODES.has(code) && code !== (ApiErrorCode.INTERNAL as string);
}

function pick(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}
