import { Query, Resolver } from '@nestjs/graphql';
import { Public } from '../auth/decorators';
import { FraudTypeInfo, Region } from './models/reference.models';
import { ReferenceService } from './reference.service';

@Resolver()
export class ReferenceResolver {
  constructor(private readonly reference: ReferenceService) {}

  @Public()
  @Query(() => [FraudTypeInfo], { description: 'The fraud taxonomy with Chinese and English labels.' })
  fraudTypes(): readonly FraudTypeInfo[] {
    return this.reference.fraudTypes();
  }

  @Public()
  @Query(() => [Region], { description: 'Regions reports are filed under (default: 33 镇街/园区).' })
  regions(): readonly Region[] {
    return this.reference.regions();
  }
}
