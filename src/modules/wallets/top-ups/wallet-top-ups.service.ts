import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../../common/auth/auth-user';
import type { PaymentMethodKind } from '../../../gateways/payment-gateway';
import type { AuditActor } from '../../audit/audit.types';
import { OrdersService } from '../../orders/orders.service';
import type { PaymentEntity } from '../../payments/entities/payment.entity';
import { IdempotencyService } from '../../payments/idempotency/idempotency.service';
import { PaymentsService, type NewPayment } from '../../payments/payments.service';
import { MerchantEntity } from '../../users/entities/merchant.entity';
import { runWalletCommand } from '../wallet-idempotency';
import { walletsConfig } from '../wallets.config';
import { invalidWalletInput } from '../wallets.errors';
import { WalletsService } from '../wallets.service';

export interface TopUpRequest {
  readonly walletId: string;
  readonly amountMinor: number;
  readonly paymentMethod: PaymentMethodKind;
  readonly captureMode?: 'automatic' | 'manual';
  readonly gatewayCode?: string;
  readonly paymentMethodToken?: string;
  readonly customer?: NewPayment['customer'];
  readonly country?: string;
  readonly returnUrl: string;
  readonly cancelUrl?: string;
  readonly idempotencyKey: string;
}

/**
 * Top-ups are ordinary gateway payments (routing, failover, callbacks, reconciliation, risk) for an
 * order owned by the platform's top-up merchant, marked with the wallet to credit. The payments
 * module credits the wallet when, and each time, money is captured: the capture event and its
 * journal are unique, so a replayed or duplicated callback credits nothing more.
 */
@Injectable()
export class WalletTopUpsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly wallets: WalletsService,
    private readonly orders: OrdersService,
    private readonly payments: PaymentsService,
    private readonly idempotency: IdempotencyService,
    @Inject(walletsConfig.KEY) private readonly config: ConfigType<typeof walletsConfig>,
  ) {}

  async topUp(caller: AuthUser, actor: AuditActor, request: TopUpRequest): Promise<PaymentEntity> {
    const { idempotencyKey, ...input } = request;
    const paymentId = await runWalletCommand(
      this.idempotency,
      caller,
      idempotencyKey,
      'topUpWallet',
      input,
      () => this.topUpOnce(caller, actor, input),
    );
    return this.payments.findVisibleOrThrow(caller, paymentId);
  }

  private async topUpOnce(
    caller: AuthUser,
    actor: AuditActor,
    input: Omit<TopUpRequest, 'idempotencyKey'>,
  ): Promise<string> {
    if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) {
      throw invalidWalletInput('amountMinor', 'must be a positive integer');
    }
    if (input.paymentMethod === 'wallet_balance') {
      throw invalidWalletInput(
        'paymentMethod',
        'a wallet is topped up through a gateway, not a wallet',
      );
    }
    if (input.captureMode === 'manual') {
      // Nobody would capture it (the top-up merchant has no staff), and a partial capture would
      // credit less than the customer asked for: a top-up is captured by the gateway, whole.
      throw invalidWalletInput('captureMode', 'a top-up is captured at once (AUTOMATIC)');
    }
    const wallet = await this.wallets.findOwnedOrThrow(caller, input.walletId);
    this.wallets.assertActive(wallet);
    await this.ensureTopUpMerchant();
    const order = await this.orders.createFor(this.config.topUpMerchantId, {
      currency: wallet.currency,
      lineItems: [{ name: 'Wallet top-up', quantity: 1, unitAmountMinor: input.amountMinor }],
      description: `Top-up of wallet ${wallet.id}`,
      customerId: caller.userId,
    });
    const payment = await this.payments.create(
      caller,
      actor,
      {
        orderId: order.id,
        paymentMethod: input.paymentMethod,
        captureMode: input.captureMode,
        gatewayCode: input.gatewayCode,
        paymentMethodToken: input.paymentMethodToken,
        customer: input.customer,
        country: input.country,
        returnUrl: input.returnUrl,
        cancelUrl: input.cancelUrl,
      },
      { topUpWalletId: wallet.id },
    );
    return payment.id;
  }

  /** The merchant that owns top-up orders: created once, on first use (any instance, any race). */
  private async ensureTopUpMerchant(): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(MerchantEntity)
      .values({ id: this.config.topUpMerchantId, name: 'Payrail wallet top-ups' })
      .orIgnore()
      .updateEntity(false)
      .execute();
  }
}
