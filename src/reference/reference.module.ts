import { Module } from '@nestjs/common';
import { ReferenceResolver } from './reference.resolver';
import { ReferenceService } from './reference.service';

@Module({ providers: [ReferenceService, ReferenceResolver], exports: [ReferenceService] })
export class ReferenceModule {}
