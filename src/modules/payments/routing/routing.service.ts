import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { isGatewayCode, type GatewayCode } from '../../../gateways/gateway-codes';
import { GatewayRegistry } from '../../../gateways/gateway-registry';
import type { GatewayCapabilities } from '../../../gateways/payment-gateway';
import { MerchantGatewayEntity } from '../entities/merchant-gateway.entity';
import { RoutingRuleEntity } from '../entities/routing-rule.entity';
import { PaymentError, PaymentErrorCode } from '../payments.errors';
import { planRoute, splitSeedOf, type RoutePlan, type RouteRequest } from './route-planner';

export interface NewRoutingRule {
  name: string;
  priority: number;
  gatewayCode: string;
  currency?: string;
  paymentMethod?: string;
  minAmountMinor?: number;
  maxAmountMinor?: number;
  country?: string;
  weight?: number;
}

/** Loads a merchant's gateway switches and rules and asks the planner. Configuration is data. */
@Injectable()
export class RoutingService {
  constructor(
    private readonly registry: GatewayRegistry,
    @InjectRepository(MerchantGatewayEntity)
    private readonly merchantGateways: Repository<MerchantGatewayEntity>,
    @InjectRepository(RoutingRuleEntity) private readonly rules: Repository<RoutingRuleEntity>,
  ) {}

  async plan(merchantId: string, paymentId: string, request: RouteRequest): Promise<RoutePlan> {
    const gateways = new Map<GatewayCode, GatewayCapabilities>(
      this.registry.list().map((gateway) => [gateway.code, gateway.capabilities]),
    );
    const [switches, rules] = await Promise.all([
      this.merchantGateways.findBy({ merchantId }),
      this.rules.find({ where: { merchantId }, order: { priority: 'ASC', createdAt: 'ASC' } }),
    ]);
    return planRoute(request, {
      gateways,
      merchantGateways: switches,
      rules,
      splitSeed: splitSeedOf(paymentId),
    });
  }

  listGateways(merchantId: string): Promise<MerchantGatewayEntity[]> {
    return this.merchantGateways.find({ where: { merchantId }, order: { gatewayCode: 'ASC' } });
  }

  async configureGateway(
    merchantId: string,
    gatewayCode: string,
    enabled: boolean,
    credentialsRef: string | null,
  ): Promise<MerchantGatewayEntity> {
    this.assertKnown(gatewayCode);
    await this.merchantGateways.upsert(
      { id: randomUUID(), merchantId, gatewayCode, enabled, credentialsRef },
      { conflictPaths: ['merchantId', 'gatewayCode'], skipUpdateIfNoValuesChanged: true },
    );
    return this.merchantGateways.findOneByOrFail({ merchantId, gatewayCode });
  }

  listRules(merchantId: string): Promise<RoutingRuleEntity[]> {
    return this.rules.find({ where: { merchantId }, order: { priority: 'ASC', createdAt: 'ASC' } });
  }

  async createRule(merchantId: string, input: NewRoutingRule): Promise<RoutingRuleEntity> {
    this.assertKnown(input.gatewayCode);
    if (
      input.minAmountMinor !== undefined &&
      input.maxAmountMinor !== undefined &&
      input.minAmountMinor > input.maxAmountMinor
    ) {
      throw new PaymentError(
        PaymentErrorCode.PAYMENT_INPUT_INVALID,
        'minAmountMinor exceeds maxAmountMinor',
      );
    }
    const rule = this.rules.create({
      id: randomUUID(),
      merchantId,
      name: input.name,
      priority: input.priority,
      gatewayCode: input.gatewayCode,
      currency: input.currency ?? null,
      paymentMethod: input.paymentMethod ?? null,
      minAmountMinor: input.minAmountMinor ?? null,
      maxAmountMinor: input.maxAmountMinor ?? null,
      country: input.country ?? null,
      weight: input.weight ?? 100,
      enabled: true,
    });
    await this.rules.insert(rule);
    return this.rules.findOneByOrFail({ id: rule.id });
  }

  async deleteRule(merchantId: string, id: string): Promise<RoutingRuleEntity> {
    const rule = await this.rules.findOneBy({ id, merchantId });
    if (!rule)
      throw new PaymentError(PaymentErrorCode.ROUTING_RULE_NOT_FOUND, 'Routing rule not found');
    await this.rules.delete({ id, merchantId });
    return rule;
  }

  private assertKnown(code: string): void {
    if (!isGatewayCode(code)) {
      throw new PaymentError(PaymentErrorCode.ROUTING_GATEWAY_UNKNOWN, `Unknown gateway "${code}"`);
    }
  }
}
