import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { Clock } from '../../common/clock/clock';
import { RiskLevel } from '../../reports/enums';
import { IdentifierStatsRepository } from '../../reports/identifier-stats.repository';
import { riskLevel, RiskLevelValue } from '../../reports/risk';
import { mapLimit } from '../../store/map-limit';
import { Identifier } from '../models/linking.models';

/**
 * `Identifier.riskLevel`: the risk the public lookup answers for it (CONFIRMED once an investigator confirmed it
 * on a case), from its lookup statistics — one `_id` read per identifier, batched per operation.
 */
@Resolver(() => Identifier)
export class IdentifierRiskResolver {
  private readonly loaders = new WeakMap<object, DataLoader<string, RiskLevelValue>>();

  constructor(
    private readonly stats: IdentifierStatsRepository,
    private readonly clock: Clock,
  ) {}

  @ResolveField(() => RiskLevel, { description: 'The public lookup risk (CONFIRMED once confirmed on a case).' })
  riskLevel(@Parent() identifier: Identifier, @Context() ctx: object): Promise<RiskLevelValue> {
    let l = this.loaders.get(ctx);
    if (!l) {
      l = new DataLoader((keys: readonly string[]) =>
        mapLimit(keys, 16, async (k) => {
          const s = await this.stats.find(k);
          return s ? riskLevel(s, this.clock.now()) : RiskLevelValue.NONE;
        }),
      );
      this.loaders.set(ctx, l);
    }
    return l.load(identifier.key);
  }
}
