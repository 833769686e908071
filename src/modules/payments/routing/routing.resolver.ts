import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../../common/auth/auth-user';
import { CurrentUser } from '../../../common/auth/current-user.decorator';
import { Roles, SessionOnly } from '../../../common/auth/roles.decorator';
import { AuditActorParam } from '../../audit/audit-actor';
import { AuditService } from '../../audit/audit.service';
import type { AuditActor } from '../../audit/audit.types';
import { Role } from '../../users/role';
import { ConfigureMerchantGatewayInput, CreateRoutingRuleInput } from '../dto/payments.inputs';
import { toPaymentMethodKind } from '../models/payment-enums';
import {
  MerchantGateway,
  RoutingRule,
  toMerchantGatewayModel,
  toRoutingRuleModel,
} from '../models/payments-admin.model';
import { RoutingService } from './routing.service';

/** A merchant's gateway switches and routing rules (signed-in merchant users only). */
@Resolver()
@Roles(Role.MERCHANT)
@SessionOnly()
export class RoutingResolver {
  constructor(
    private readonly routing: RoutingService,
    private readonly audit: AuditService,
  ) {}

  @Query(() => [MerchantGateway], {
    description: 'The caller’s merchant’s gateway switches (none: every platform gateway).',
  })
  async merchantGateways(@CurrentUser() caller: AuthUser): Promise<MerchantGateway[]> {
    return (await this.routing.listGateways(caller.merchantId!)).map(toMerchantGatewayModel);
  }

  @Mutation(() => MerchantGateway, {
    description: 'Switches a gateway on or off for the caller’s merchant.',
  })
  async configureMerchantGateway(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'Gateway, switch and credentials reference.' })
    input: ConfigureMerchantGatewayInput,
  ): Promise<MerchantGateway> {
    const row = await this.routing.configureGateway(
      caller.merchantId!,
      input.gatewayCode,
      input.enabled,
      input.credentialsRef ?? null,
    );
    await this.audit.record(null, {
      actor,
      action: 'routing.gateway.configure',
      objectType: 'merchant_gateway',
      objectId: row.id,
      merchantId: caller.merchantId,
      details: { gatewayCode: input.gatewayCode, enabled: input.enabled },
    });
    return toMerchantGatewayModel(row);
  }

  @Query(() => [RoutingRule], {
    description: 'The caller’s merchant’s routing rules, by priority.',
  })
  async routingRules(@CurrentUser() caller: AuthUser): Promise<RoutingRule[]> {
    return (await this.routing.listRules(caller.merchantId!)).map(toRoutingRuleModel);
  }

  @Mutation(() => RoutingRule, { description: 'Adds a routing rule.' })
  async createRoutingRule(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'Conditions, gateway, priority and weight.' })
    input: CreateRoutingRuleInput,
  ): Promise<RoutingRule> {
    const rule = await this.routing.createRule(caller.merchantId!, {
      ...input,
      paymentMethod: input.paymentMethod ? toPaymentMethodKind(input.paymentMethod) : undefined,
    });
    await this.audit.record(null, {
      actor,
      action: 'routing.rule.create',
      objectType: 'routing_rule',
      objectId: rule.id,
      merchantId: caller.merchantId,
      details: { gatewayCode: rule.gatewayCode, priority: rule.priority },
    });
    return toRoutingRuleModel(rule);
  }

  @Mutation(() => RoutingRule, { description: 'Deletes a routing rule.' })
  async deleteRoutingRule(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('id', { type: () => ID, description: 'The rule id.' }, ParseUUIDPipe) id: string,
  ): Promise<RoutingRule> {
    const rule = await this.routing.deleteRule(caller.merchantId!, id);
    await this.audit.record(null, {
      actor,
      action: 'routing.rule.delete',
      objectType: 'routing_rule',
      objectId: id,
      merchantId: caller.merchantId,
    });
    return toRoutingRuleModel(rule);
  }
}
