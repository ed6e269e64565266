import { registerEnumType } from '@nestjs/graphql';

/** 2024 national list of high-frequency fraud types, plus OTHER (labels in data/fraud-types.v1.json). */
export enum FraudType {
  ORDER_BRUSHING = 'ORDER_BRUSHING',
  FAKE_INVESTMENT = 'FAKE_INVESTMENT',
  FAKE_SHOPPING = 'FAKE_SHOPPING',
  FAKE_CUSTOMER_SERVICE = 'FAKE_CUSTOMER_SERVICE',
  FAKE_LOAN = 'FAKE_LOAN',
  FAKE_CREDIT_REPAIR = 'FAKE_CREDIT_REPAIR',
  IMPERSONATING_ACQUAINTANCE = 'IMPERSONATING_ACQUAINTANCE',
  IMPERSONATING_AUTHORITIES = 'IMPERSONATING_AUTHORITIES',
  ONLINE_ROMANCE = 'ONLINE_ROMANCE',
  GAME_TRADING = 'GAME_TRADING',
  OTHER = 'OTHER',
}
registerEnumType(FraudType, { name: 'FraudType' });

export enum RegionKind {
  STREET = 'STREET',
  TOWN = 'TOWN',
  PARK = 'PARK',
}
registerEnumType(RegionKind, { name: 'RegionKind', description: '街道 (subdistrict), 镇 (town) or 园区 (park/zone).' });

/** Region of imported reports that carry none (partner lists from outside the city): not one of the 33. */
export const EXTERNAL_REGION = 'EXTERNAL';
