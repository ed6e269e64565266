import type { IncomingMessage } from 'node:http';
import { RequestMeta, StaffPrincipal } from './principal';

/**
 * The GraphQL context of one operation. Over HTTP Apollo passes `{ req, res }`; over WebSocket graphql-ws
 * passes its connection context (`connectionParams`, `extra.request`). `buildGraphQLContext` copies either
 * into a fresh object per operation, so AuthGuard can cache the principal on it for exactly one operation
 * (every operation on a long-lived WebSocket is authenticated again: a logout or a disabled user stops new
 * subscriptions at once).
 */
export interface GqlContext {
  transport: 'http' | 'ws';
  /** HTTP: the request. (On WebSocket operations Nest's Apollo driver sets `req` to the graphql-ws context.) */
  req?: IncomingMessage & { ip?: string };
  res?: unknown;
  connectionParams?: Record<string, unknown>;
  extra?: { request?: IncomingMessage };
  /** Set by AuthGuard once the operation's token is verified. */
  principal?: StaffPrincipal;
  /** The guard's in-flight authentication of this operation (root and field guards share it). */
  authentication?: Promise<StaffPrincipal>;
}

export function buildGraphQLContext(ctx: Record<string, unknown>): GqlContext {
  if ('connectionInitReceived' in ctx) {
    // graphql-ws connection context
    const ws = ctx as { connectionParams?: Record<string, unknown>; extra?: GqlContext['extra'] };
    return { transport: 'ws', connectionParams: ws.connectionParams, extra: ws.extra };
  }
  return { ...(ctx as Omit<GqlContext, 'transport'>), transport: 'http' };
}

/** `Bearer <token>` -> token. Returns undefined when absent; '' for a malformed header (so it is refused). */
export function parseBearer(header: unknown): string | undefined {
  if (header === undefined || header === null || header === '') return undefined;
  if (typeof header !== 'string') return '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : '';
}

/** The access token of an HTTP request (Authorization header) or a WebSocket (connection_init `authorization`). */
export function bearerTokenOf(ctx: GqlContext): string | undefined {
  if (ctx.transport === 'http') return parseBearer(ctx.req?.headers?.authorization);
  const params = ctx.connectionParams ?? {};
  return parseBearer(params.authorization ?? params.Authorization);
}

export function requestMetaOf(ctx: GqlContext): RequestMeta {
  const req = ctx.transport === 'http' ? ctx.req : ctx.extra?.request;
  if (!req?.headers) return {};
  const ua = req.headers['user-agent'];
  return {
    ip: ((ctx.transport === 'http' ? ctx.req?.ip : undefined) ?? req.socket?.remoteAddress) || undefined,
    userAgent: typeof ua === 'string' ? ua.slice(0, 200) : undefined,
  };
}
