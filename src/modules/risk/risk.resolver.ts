import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Roles, SessionOnly } from '../../common/auth/roles.decorator';
import { AuditActorParam } from '../audit/audit-actor';
import type { AuditActor } from '../audit/audit.types';
import { Role } from '../users/role';
import {
  AddBlockListEntryInput,
  BlockListEntriesArgs,
  CreateRiskRuleInput,
  RiskReviewsArgs,
  RiskRulesArgs,
  UpdateRiskRuleInput,
} from './dto/risk.inputs';
import {
  BlockListEntry,
  BlockListEntryConnection,
  toBlockListEntryModel,
} from './models/block-list-entry.model';
import { RiskReviewConnection, toRiskReviewModel } from './models/risk-review.model';
import { RiskRule, RiskRuleConnection, toRiskRuleModel } from './models/risk-rule.model';
import { RiskService } from './risk.service';

@Resolver(() => RiskRule)
export class RiskResolver {
  constructor(private readonly riskService: RiskService) {}

  @Query(() => RiskRuleConnection, { description: 'Risk rules, newest first (staff).' })
  @Roles(Role.ADMIN, Role.SUPPORT)
  async riskRules(@Args() args: RiskRulesArgs): Promise<RiskRuleConnection> {
    const page = await this.riskService.listRules({ ...args, first: args.first ?? 20 });
    return {
      ...page,
      edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toRiskRuleModel(edge.node) })),
    };
  }

  @Mutation(() => RiskRule, { description: 'Adds a risk rule (admins).' })
  @Roles(Role.ADMIN)
  @SessionOnly()
  async createRiskRule(
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The rule.' }) input: CreateRiskRuleInput,
  ): Promise<RiskRule> {
    return toRiskRuleModel(await this.riskService.createRule(actor, input));
  }

  @Mutation(() => RiskRule, { description: 'Changes a risk rule (admins).' })
  @Roles(Role.ADMIN)
  @SessionOnly()
  async updateRiskRule(
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The rule id and the changes.' }) input: UpdateRiskRuleInput,
  ): Promise<RiskRule> {
    const { id, ...changes } = input;
    return toRiskRuleModel(await this.riskService.updateRule(actor, id, changes));
  }

  @Mutation(() => RiskRule, { description: 'Deletes a risk rule and returns it (admins).' })
  @Roles(Role.ADMIN)
  @SessionOnly()
  async deleteRiskRule(
    @AuditActorParam() actor: AuditActor,
    @Args('id', { type: () => ID, description: 'The rule to delete.' }, ParseUUIDPipe) id: string,
  ): Promise<RiskRule> {
    return toRiskRuleModel(await this.riskService.deleteRule(actor, id));
  }

  @Query(() => BlockListEntryConnection, {
    description: 'Block-list entries, newest first (staff).',
  })
  @Roles(Role.ADMIN, Role.SUPPORT)
  async blockListEntries(@Args() args: BlockListEntriesArgs): Promise<BlockListEntryConnection> {
    const page = await this.riskService.listBlockList({ ...args, first: args.first ?? 20 });
    return {
      ...page,
      edges: page.edges.map((edge) => ({
        cursor: edge.cursor,
        node: toBlockListEntryModel(edge.node),
      })),
    };
  }

  @Mutation(() => BlockListEntry, { description: 'Blocks a value (admins).' })
  @Roles(Role.ADMIN)
  @SessionOnly()
  async addBlockListEntry(
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The value to block.' }) input: AddBlockListEntryInput,
  ): Promise<BlockListEntry> {
    return toBlockListEntryModel(await this.riskService.addBlockListEntry(actor, input));
  }

  @Mutation(() => BlockListEntry, {
    description: 'Unblocks a value and returns the removed entry (admins).',
  })
  @Roles(Role.ADMIN)
  @SessionOnly()
  async removeBlockListEntry(
    @AuditActorParam() actor: AuditActor,
    @Args('id', { type: () => ID, description: 'The entry to remove.' }, ParseUUIDPipe) id: string,
  ): Promise<BlockListEntry> {
    return toBlockListEntryModel(await this.riskService.removeBlockListEntry(actor, id));
  }

  @Query(() => RiskReviewConnection, {
    description: 'Payments held for review, newest first (staff).',
  })
  @Roles(Role.ADMIN, Role.SUPPORT)
  async riskReviews(@Args() args: RiskReviewsArgs): Promise<RiskReviewConnection> {
    const page = await this.riskService.listReviews({ ...args, first: args.first ?? 20 });
    return {
      ...page,
      edges: page.edges.map((edge) => ({
        cursor: edge.cursor,
        node: toRiskReviewModel(edge.node),
      })),
    };
  }
}
