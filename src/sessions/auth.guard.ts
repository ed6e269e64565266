import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { GraphQLResolveInfo } from 'graphql';
import { bearerTokenOf, GqlContext } from '../auth/auth-context';
import { AuthError, AuthErrorCode } from '../auth/auth.errors';
import { AuthenticationService } from './authentication.service';
import { PUBLIC_KEY, ROLES_KEY, SIGNED_IN_KEY } from '../auth/decorators';
import { StaffPrincipal } from '../auth/principal';
import { hasAnyRole, Role } from '../auth/roles';

/**
 * The global guard (APP_GUARD): default deny for GraphQL.
 *
 * - Root fields (Query/Mutation/Subscription): `@Public()` passes; anything else needs a valid access token
 *   (UNAUTHENTICATED otherwise) and then `@Roles(...)` (FORBIDDEN without one of the roles) or `@SignedIn()`.
 *   A root field with no policy at all is refused for everyone (FORBIDDEN, NO_ACCESS_POLICY) and logged.
 * - `@ResolveField`s (runs because graphql.options sets `fieldResolverEnhancers: ['guards']`): only those
 *   carrying `@Roles(...)` are checked; others inherit the access of the root field that reached them.
 * - Non-GraphQL contexts (the REST /health, /ready, /metrics controllers, queue processors) are not touched.
 *
 * The principal is authenticated once per operation and kept on that operation's context.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: AuthenticationService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<GqlContextType>() !== 'graphql') return true;
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<GraphQLResolveInfo>();
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler()]);
    const isRoot = isRootType(info);
    if (!isRoot && !roles) return true;
    if (isRoot && this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const ctx = gql.getContext<GqlContext>();
    const principal = await this.principalOf(ctx);
    const field = `${info.parentType.name}.${info.fieldName}`;
    const required =
      roles ?? (isRoot ? this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) : undefined);
    if (required) {
      if (hasAnyRole(principal.roles, required)) return true;
      throw new AuthError(AuthErrorCode.MISSING_ROLE, `${field} needs one of the roles ${required.join(', ')}`);
    }
    if (this.reflector.getAllAndOverride<boolean>(SIGNED_IN_KEY, targets)) return true;
    this.logger.error(`${field} declares no access policy (@Public, @Roles or @SignedIn): refused`);
    throw new AuthError(AuthErrorCode.NO_ACCESS_POLICY, `${field} is not available`);
  }

  private principalOf(ctx: GqlContext): Promise<StaffPrincipal> {
    if (ctx.principal) return Promise.resolve(ctx.principal);
    ctx.authentication ??= this.authentication.authenticate(bearerTokenOf(ctx)).then((p) => (ctx.principal = p));
    return ctx.authentication;
  }
}

function isRootType(info: GraphQLResolveInfo): boolean {
  const t = info.parentType;
  return (
    t === info.schema.getQueryType() || t === info.schema.getMutationType() || t === info.schema.getSubscriptionType()
  );
}
