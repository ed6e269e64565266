import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser, Roles } from '../auth/decorators';
import { StaffPrincipal } from '../auth/principal';
import { Role } from '../auth/roles';
import { scopeFor } from '../auth/scope';
import { AuditService } from './audit.service';
import { AuditLogArgs } from './dto/audit-log.args';
import { AuditEntry, AuditEntryConnection } from './models/audit-entry.model';
import { connectionCost } from '../common/graphql/cost';

@Resolver(() => AuditEntry)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Roles(Role.SUPERVISOR)
  @Query(() => AuditEntryConnection, {
    description:
      'The audit log, newest first. SUPERVISOR: entries concerning their units; ADMIN: all. Read-only: no API edits it. Read through the list index (docs/lists.md); a third and fourth filter among actorId, action, objectType and objectId are checked entry by entry.',
    // the list index (up to two filters per key), then entries by primary key
    complexity: connectionCost(50, false),
  })
  auditLog(@Args() args: AuditLogArgs, @CurrentUser() me: StaffPrincipal): Promise<AuditEntryConnection> {
    return this.audit.list(scopeFor(me), args.filter ?? {}, args.first, args.after);
  }
}
