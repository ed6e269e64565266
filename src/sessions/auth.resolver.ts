import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentUser, Public, ReqMeta, SignedIn } from '../auth/decorators';
import { AuthService } from './auth.service';
import { LoginService } from './login.service';
import { AuthPayload } from './models/auth-payload.model';
import { RequestMeta, StaffPrincipal } from '../auth/principal';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly logins: LoginService,
    private readonly auth: AuthService,
  ) {}

  @Public()
  @Mutation(() => AuthPayload, {
    description: 'Staff login. Repeated failures lock the e-mail (RATE_LIMITED with retryAfterSeconds).',
  })
  login(
    @Args('email') email: string,
    @Args('password') password: string,
    @ReqMeta() meta: RequestMeta,
  ): Promise<AuthPayload> {
    return this.logins.login(email, password, meta);
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description: 'Exchanges a refresh token (single use) for new tokens. Reusing an old one revokes the session.',
  })
  refreshToken(@Args('refreshToken') refreshToken: string, @ReqMeta() meta: RequestMeta): Promise<AuthPayload> {
    return this.auth.refresh(refreshToken, meta);
  }

  @SignedIn()
  @Mutation(() => Boolean, { description: "Ends the caller's session (its refresh and access tokens)." })
  logout(@CurrentUser() me: StaffPrincipal, @ReqMeta() meta: RequestMeta): Promise<boolean> {
    return this.auth.logout(me, meta);
  }
}
