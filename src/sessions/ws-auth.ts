import { Logger } from '@nestjs/common';
import { parseBearer } from '../auth/auth-context';
import { AuthError } from '../auth/auth.errors';
import { AuthenticationService } from './authentication.service';

/** WebSocket close codes used when connection_init carries a bad token (graphql-ws convention). */
export const WS_CLOSE_UNAUTHORIZED = 4401;
export const WS_CLOSE_FORBIDDEN = 4403;

interface ConnectCtx {
  connectionParams?: Record<string, unknown>;
  extra: { socket?: { close(code: number, reason: string): void } };
}

/**
 * graphql-ws `onConnect`: a connection_init payload may carry `authorization: "Bearer <accessToken>"` (the same
 * token as over HTTP). A bad, expired or revoked token closes the socket with 4401 (the client should refresh
 * and reconnect); no token gives an anonymous connection, on which only @Public subscriptions are allowed (the
 * guard refuses the others per subscription with UNAUTHENTICATED). Every subscribe re-authenticates the token
 * (AuthGuard), so a connection outliving its token's logout or its user's disabling cannot subscribe again.
 */
export function wsOnConnect(authentication: AuthenticationService) {
  const logger = new Logger('WsAuth');
  return async (ctx: ConnectCtx): Promise<boolean> => {
    const params = ctx.connectionParams ?? {};
    const token = parseBearer(params.authorization ?? params.Authorization);
    if (token === undefined) return true;
    try {
      await authentication.authenticate(token);
      return true;
    } catch (e) {
      if (!(e instanceof AuthError)) logger.error({ err: e }, 'WebSocket authentication failed');
      ctx.extra.socket?.close(
        WS_CLOSE_UNAUTHORIZED,
        e instanceof AuthError ? `Unauthorized: ${e.code}` : 'Unauthorized',
      );
      return false;
    }
  };
}
