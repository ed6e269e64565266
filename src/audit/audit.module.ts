import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditEntryDoc, AuditEntrySchema } from './audit-entry.schema';
import { AuditRepository } from './audit.repository';
import { AuditResolver } from './audit.resolver';
import { AuditService } from './audit.service';
import { AuditLists } from './audit-lists';

/** The append-only audit log: `AuditService.record(...)` for every feature, `auditLog` for supervisors. */
@Module({
  imports: [MongooseModule.forFeature([{ name: AuditEntryDoc.name, schema: AuditEntrySchema }])],
  providers: [AuditLists, AuditRepository, AuditService, AuditResolver],
  exports: [AuditService],
})
export class AuditModule {}
