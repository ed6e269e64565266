import { createParamDecorator, CustomDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { GqlContext, requestMetaOf } from './auth-context';
import { AuthError, AuthErrorCode } from './auth.errors';
import { RequestMeta, StaffPrincipal } from './principal';
import { Role } from './roles';

export const PUBLIC_KEY = 'siqian:auth:public';
export const ROLES_KEY = 'siqian:auth:roles';
export const SIGNED_IN_KEY = 'siqian:auth:signedIn';

/**
 * Access policies, read by the global AuthGuard. Every Query/Mutation/Subscription field needs exactly one:
 * - `@Public()`: anyone, no token (a token, even a bad one, is ignored).
 * - `@Roles(...roles)`: a signed-in user holding any listed role (ADMIN passes every check). Also on
 *   `@ResolveField`s for field-level protection (the field resolves to an error for other users).
 * - `@SignedIn()`: any signed-in user whatever their roles (me, logout).
 * A root field with none of them is refused for everyone (FORBIDDEN, NO_ACCESS_POLICY): default deny.
 */
export const Public = (): CustomDecorator => SetMetadata(PUBLIC_KEY, true);
export const Roles = (...roles: Role[]): CustomDecorator => SetMetadata(ROLES_KEY, roles);
export const SignedIn = (): CustomDecorator => SetMetadata(SIGNED_IN_KEY, true);

/** The signed-in StaffPrincipal (set by AuthGuard); only on fields that are not @Public. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): StaffPrincipal => {
  const principal = GqlExecutionContext.create(ctx).getContext<GqlContext>().principal;
  if (!principal) throw new AuthError(AuthErrorCode.TOKEN_MISSING, 'Sign in first');
  return principal;
});

/** Client address and user agent of the request (HTTP or WebSocket), for the audit log. */
export const ReqMeta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta =>
  requestMetaOf(GqlExecutionContext.create(ctx).getContext<GqlContext>()),
);
