import { Injectable } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { Roles } from '../auth/decorators';
import { Role } from '../auth/roles';
import { Case } from '../cases/models/case.models';
import { PaymentStop } from './models/payment-stop.model';
import { PaymentStopsService } from './payment-stops.service';

/** One loader per GraphQL operation (keyed by its context object): a page of cases reads their stops in one batch. */
@Injectable()
export class CaseStopsLoaders {
  private readonly byContext = new WeakMap<object, DataLoader<string, PaymentStop[]>>();

  constructor(private readonly stops: PaymentStopsService) {}

  for(context: object): DataLoader<string, PaymentStop[]> {
    let loader = this.byContext.get(context);
    if (!loader) {
      loader = new DataLoader((ids) => this.stops.ofCases(ids));
      this.byContext.set(context, loader);
    }
    return loader;
  }
}

/**
 * `Case.paymentStops`, added from this module so that cases does not depend on payments. The case was read
 * through its own scope check already (a case of the reader's units).
 */
@Resolver(() => Case)
export class CaseStopsResolver {
  constructor(private readonly loaders: CaseStopsLoaders) {}

  @Roles(Role.INVESTIGATOR, Role.SUPERVISOR)
  @ResolveField(() => [PaymentStop], { description: 'The urgent payment stops of the case, in request order.' })
  paymentStops(@Parent() c: Case, @Context() context: object): Promise<PaymentStop[]> {
    return this.loaders.for(context).load(c.id);
  }
}
