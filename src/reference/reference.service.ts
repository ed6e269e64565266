import { Injectable } from '@nestjs/common';
import fraudTypesFile from './data/fraud-types.v1.json';
import regionsFile from './data/regions.v1.json';
import { FraudType, RegionKind } from './enums';
import { FraudTypeInfo, Region } from './models/reference.models';

const FRAUD_TYPES: readonly FraudTypeInfo[] = fraudTypesFile.fraudTypes.map((t) => ({
  code: t.code as FraudType,
  labelZh: t.labelZh,
  labelEn: t.labelEn,
  taxonomyVersion: fraudTypesFile.version,
}));
const REGIONS: readonly Region[] = regionsFile.regions.map((r) => ({ ...r, kind: r.kind as RegionKind }));
const REGION_CODES = new Set(REGIONS.map((r) => r.code));

/** The versioned reference lists: fraud taxonomy and regions. Read-only, loaded with the code. */
@Injectable()
export class ReferenceService {
  fraudTypes(): readonly FraudTypeInfo[] {
    return FRAUD_TYPES;
  }

  regions(): readonly Region[] {
    return REGIONS;
  }

  isRegion(code: string): boolean {
    return REGION_CODES.has(code);
  }

  get regionsVersion(): string {
    return regionsFile.version;
  }
}
