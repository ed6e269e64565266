import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser, Public, ReqMeta, Roles } from '../auth/decorators';
import { RequestMeta, StaffPrincipal } from '../auth/principal';
import { Role } from '../auth/roles';
import { scopeFor } from '../auth/scope';
import { IdArgs } from '../common/graphql/id.args';
import {
  AppealStatusArgs,
  PaymentStopInput,
  RequestFreezeArgs,
  ResolveAppealArgs,
  StopAppealInput,
  StopIdArgs,
} from './dto/payments.inputs';
import { AppealReceipt, PaymentStop, PublicAppealStatus, StopAppeal } from './models/payment-stop.model';
import { PaymentStopsService } from './payment-stops.service';
import { StopAppealsService } from './stop-appeals.service';

const actorOf = (me: StaffPrincipal, meta: RequestMeta) => ({ userId: me.userId, ...meta });

/** Urgent payment stops, freezes and appeals (transport only). */
@Resolver(() => PaymentStop)
export class PaymentsResolver {
  constructor(
    private readonly stops: PaymentStopsService,
    private readonly appeals: StopAppealsService,
  ) {}

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Query(() => PaymentStop, {
    nullable: true,
    description: 'A payment stop of a case of your units (FORBIDDEN otherwise).',
  })
  paymentStop(@Args() { id }: IdArgs, @CurrentUser() me: StaffPrincipal): Promise<PaymentStop> {
    return this.stops.get(id, scopeFor(me));
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Mutation(() => PaymentStop, {
    description:
      'Asks the bank to stop a payment (紧急止付) for 48 h from its confirmation. At most two per account and case: ' +
      'the third is CONFLICT (request an account freeze instead).',
  })
  requestPaymentStop(
    @Args('input') input: PaymentStopInput,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<PaymentStop> {
    return this.stops.request(input, scopeFor(me), actorOf(me, meta));
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Mutation(() => PaymentStop, {
    description:
      'After the two stops of an account: asks for the account to be frozen for 6 months (or a freeze renewed); ' +
      'a supervisor other than the requester approves it (approveAccountFreeze).',
  })
  requestAccountFreeze(
    @Args() { stopId, reason }: RequestFreezeArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<PaymentStop> {
    return this.stops.requestFreeze(stopId, reason, scopeFor(me), actorOf(me, meta));
  }

  @Roles(Role.SUPERVISOR)
  @Mutation(() => PaymentStop, {
    description: 'Approves a requested freeze (a supervisor other than the requester) and sends it to the bank.',
  })
  approveAccountFreeze(
    @Args() { stopId }: StopIdArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<PaymentStop> {
    return this.stops.approveFreeze(stopId, scopeFor(me), actorOf(me, meta));
  }

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @Query(() => StopAppeal, { nullable: true, description: 'An appeal against a stop of a case of your units.' })
  stopAppeal(@Args() { id }: IdArgs, @CurrentUser() me: StaffPrincipal): Promise<StopAppeal> {
    return this.appeals.get(id, scopeFor(me));
  }

  @Roles(Role.SUPERVISOR)
  @Mutation(() => StopAppeal, {
    description: 'Decides an appeal: keep the stop, or have the bank release the money (RELEASED once it confirms).',
  })
  resolveStopAppeal(
    @Args() { appealId, release, reason }: ResolveAppealArgs,
    @CurrentUser() me: StaffPrincipal,
    @ReqMeta() meta: RequestMeta,
  ): Promise<StopAppeal> {
    return this.appeals.resolve(appealId, release, reason, scopeFor(me), actorOf(me, meta));
  }

  @Public()
  @Mutation(() => AppealReceipt, {
    description:
      'Public: an account holder appeals against a payment stop with the appeal code of the notice; keep the tracking code.',
  })
  fileStopAppeal(@Args('input') input: StopAppealInput, @ReqMeta() meta: RequestMeta): Promise<AppealReceipt> {
    return this.appeals.file(input, meta.ip);
  }

  @Public()
  @Query(() => PublicAppealStatus, {
    nullable: true,
    description: 'Public: where an appeal stands (null for an unknown code).',
  })
  appealStatus(
    @Args() { trackingCode }: AppealStatusArgs,
    @ReqMeta() meta: RequestMeta,
  ): Promise<PublicAppealStatus | null> {
    return this.appeals.publicStatus(trackingCode, meta.ip);
  }
}
