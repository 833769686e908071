import { Args, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../../common/auth/roles.decorator';
import { Role } from '../users/role';
import { AuditService } from './audit.service';
import { AuditLogArgs } from './dto/audit-log.args';
import { AuditEntry, AuditEntryConnection, toAuditEntryModel } from './models/audit-entry.model';

@Resolver(() => AuditEntry)
export class AuditResolver {
  constructor(private readonly auditService: AuditService) {}

  @Query(() => AuditEntryConnection, {
    description: 'The audit log, newest first, optionally filtered (staff only).',
  })
  @Roles(Role.ADMIN, Role.SUPPORT)
  async auditLog(@Args() args: AuditLogArgs): Promise<AuditEntryConnection> {
    const page = await this.auditService.list({ ...args, first: args.first ?? 20 });
    return {
      ...page,
      edges: page.edges.map((edge) => ({
        cursor: edge.cursor,
        node: toAuditEntryModel(edge.node),
      })),
    };
  }
}
