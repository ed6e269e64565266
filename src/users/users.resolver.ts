import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentUser, ReqMeta, Roles, SignedIn } from '../auth/decorators';
import { RequestMeta, StaffPrincipal } from '../auth/principal';
import { Role } from '../auth/roles';
import { scopeFor } from '../auth/scope';
import {
  ContactPhoneArgs,
  CreateUserInput,
  SetUserRolesInput,
  SetUserUnitsInput,
  UsersArgs,
  UserStatusInput,
} from './dto/users.inputs';
import { User, UserConnection } from './models/user.model';
import { UsersService } from './users.service';
import { IdArgs } from '../common/graphql/id.args';
import { connectionCost } from '../common/graphql/cost';

@Resolver(() => User)
export class UsersResolver {
  constructor(private readonly service: UsersService) {}

  @SignedIn()
  @Query(() => User, { description: 'The signed-in user.' })
  me(@CurrentUser() me: StaffPrincipal): Promise<User> {
    return this.service.me(me);
  }

  @Roles(Role.SUPERVISOR)
  @Query(() => User, { description: 'A user of your units (ADMIN: any). NOT_FOUND / FORBIDDEN otherwise.' })
  user(@Args() { id }: IdArgs, @CurrentUser() me: StaffPrincipal): Promise<User> {
    return this.service.get(id, scopeFor(me));
  }

  @Roles(Role.SUPERVISOR)
  @Query(() => UserConnection, {
    description: 'Users of your units (ADMIN: all), ordered by id, read through the list index (docs/lists.md).',
    // the list index (a key per unit × role × enabled), then users by primary key
    complexity: connectionCost(50, false),
  })
  users(@Args() args: UsersArgs, @CurrentUser() me: StaffPrincipal): Promise<UserConnection> {
    return this.service.list(scopeFor(me), args.filter ?? {}, args.first, args.after);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => User, { description: 'Creates a staff user (CONFLICT if the e-mail is taken).' })
  createUser(
    @Args('input') input: CreateUserInput,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<User> {
    return this.service.create(input, { principal: me, meta });
  }

  @Roles(Role.ADMIN)
  @Mutation(() => User, { description: "Replaces a user's roles; effective on their next request." })
  setUserRoles(
    @Args('input') input: SetUserRolesInput,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<User> {
    return this.service.setRoles(input, { principal: me, meta });
  }

  @Roles(Role.ADMIN)
  @Mutation(() => User, { description: "Replaces a user's units (region codes); effective on their next request." })
  setUserUnits(
    @Args('input') input: SetUserUnitsInput,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<User> {
    return this.service.setUnits(input, { principal: me, meta });
  }

  @Roles(Role.ADMIN)
  @Mutation(() => User, { description: 'Disables a user: their tokens stop working on their next request.' })
  disableUser(
    @Args('input') input: UserStatusInput,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<User> {
    return this.service.setDisabled(input, true, { principal: me, meta });
  }

  @Roles(Role.ADMIN)
  @Mutation(() => User, { description: 'Enables a disabled user again.' })
  enableUser(
    @Args('input') input: UserStatusInput,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<User> {
    return this.service.setDisabled(input, false, { principal: me, meta });
  }

  /** Personal data: SUPERVISOR (of the user's units, via `user`/`users`) or ADMIN; every read is audited. */
  @Roles(Role.SUPERVISOR)
  @ResolveField(() => String, {
    nullable: true,
    description:
      'Contact phone (decrypted). SUPERVISOR/ADMIN only; every read is written to the audit log with the reason.',
  })
  contactPhone(
    @Parent() user: User,
    @Args() { reason }: ContactPhoneArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<string | null> {
    return this.service.readContactPhone(user, reason, { principal: me, meta });
  }
}
