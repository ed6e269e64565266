import { Field, ObjectType } from '@nestjs/graphql';
import { FraudType, RegionKind } from '../enums';

@ObjectType()
export class FraudTypeInfo {
  @Field(() => FraudType)
  code: FraudType;

  @Field()
  labelZh: string;

  @Field()
  labelEn: string;

  @Field({ description: 'Version of the taxonomy data file the labels come from.' })
  taxonomyVersion: string;
}

@ObjectType()
export class Region {
  @Field({ description: 'Stable code, e.g. DG01.' })
  code: string;

  @Field()
  nameZh: string;

  @Field()
  nameEn: string;

  @Field(() => RegionKind)
  kind: RegionKind;
}
