import { Args, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { ArgsType, Field } from '@nestjs/graphql';
import { Roles } from '../auth/decorators';
import { IdArgs, OptionalIdArgs } from '../common/graphql/id.args';
import { IsLineText } from '../common/graphql/text.rules';
import { Role } from '../auth/roles';
import { Ping } from './models/ping.model';
import { SystemService } from './system.service';

@ArgsType()
class PingArgs {
  @Field({ defaultValue: 'ping' })
  @IsLineText(200)
  message: string;
}

/**
 * Diagnostics (DIAGNOSTICS_ENABLED; off by default in production): proves the path API -> queue -> worker ->
 * store -> Redis pub/sub -> WebSocket subscription on a running deployment.
 */
@Resolver(() => Ping)
export class SystemResolver {
  constructor(private readonly system: SystemService) {}

  @Roles(Role.ADMIN)
  @Mutation(() => Ping, { description: 'Queues a diagnostic job; watch `pingCompleted` for its completion.' })
  requestPing(@Args() args: PingArgs): Promise<Ping> {
    return this.system.requestPing(args.message);
  }

  @Roles(Role.ADMIN)
  @Query(() => Ping, { description: 'A diagnostic ping by id (NOT_FOUND for an unknown id).' })
  ping(@Args() { id }: IdArgs): Promise<Ping> {
    return this.system.getPing(id);
  }

  @Roles(Role.ADMIN)
  @Subscription(() => Ping, {
    description: 'Diagnostic pings completed by a worker (optionally only one id).',
    filter: (payload: { pingCompleted: Ping }, vars: { id?: string }) =>
      !vars.id || payload.pingCompleted.id === vars.id,
  })
  pingCompleted(@Args() _args: OptionalIdArgs): AsyncIterator<unknown> {
    return this.system.pingCompletedIterator();
  }
}
