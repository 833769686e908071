import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type FindOptionsWhere, Repository } from 'typeorm';
import type { AuthUser } from '../../../common/auth/auth-user';
import type { Connection } from '../../../common/graphql/pagination';
import { findKeysetPage } from '../../../database/keyset-page';
import { withTransaction } from '../../../database/transaction';
import { GatewayRegistry } from '../../../gateways/gateway-registry';
import { type GatewayError, isGatewayError } from '../../../gateways/gateway.error';
import type { PaymentGateway } from '../../../gateways/payment-gateway';
import type { AuditActor } from '../../audit/audit.types';
import { AuditService } from '../../audit/audit.service';
import { isLedgerInsufficientFunds } from '../../ledger/ledger.errors';
import { IdempotencyService } from '../../payments/idempotency/idempotency.service';
import { PaymentsService } from '../../payments/payments.service';
import { STAFF_ROLES } from '../../users/role';
import type { WalletEntity } from '../entities/wallet.entity';
import { WalletHoldsService } from '../wallet-holds.service';
import { walletsConfig } from '../wallets.config';
import { invalidWalletInput, WalletError, WalletErrorCode } from '../wallets.errors';
import { WalletsService } from '../wallets.service';
import {
  isPayoutGateway,
  maskRecipient,
  type PayoutGateway,
  payoutRecipient,
  preflightPayout,
} from './payout-gateways';
import { WalletPayoutEntity } from './wallet-payout.entity';
import {
  WalletPayoutSettlementService,
  type PayoutResult,
} from './wallet-payout-settlement.service';
import { WalletPayoutStatus } from './wallet-payout-status';
import { runWalletCommand } from '../wallet-idempotency';

export interface WithdrawRequest {
  readonly walletId: string;
  readonly amountMinor: number;
  readonly gatewayCode: PayoutGateway;
  /** M-Pesa: the Kenyan phone number to pay. */
  readonly phone?: string | null;
  /** PayPal: the email of the PayPal account to pay. */
  readonly email?: string | null;
  readonly note?: string | null;
  /** Required: a retry with the same key returns the first payout instead of paying twice. */
  readonly idempotencyKey: string;
}

export interface PayoutFilter {
  readonly walletId?: string;
  readonly status?: WalletPayoutStatus;
  readonly needsReview?: boolean;
  readonly first: number;
  readonly after?: string;
}

// Errors after which the gateway cannot have acted: the payout failed and its hold is released.
// Everything else may hide a payout that went through, so the outcome is unknown and the money stays
// held until the reconciler asks again under the same id. That includes `unavailable`, unlike in
// the payments module: M-Pesa's B2C is resent by the transport after a timeout, so a 5xx or a
// refused connection on a later try says nothing about the first, and a PayPal 5xx does not prove
// the batch was not created. Failing such a payout would give back money that may have left.
const NOT_SENT: ReadonlySet<GatewayError['kind']> = new Set([
  'invalid_request',
  'misconfigured',
  'rejected',
]);

/**
 * Withdrawals from a wallet to M-Pesa or PayPal. The money is held (not moved) while the gateway
 * works; WalletPayoutSettlementService captures the hold into gateway_clearing:<gateway> when the
 * payout succeeds and releases it when it fails.
 */
@Injectable()
export class WalletPayoutsService {
  private readonly logger = new Logger(WalletPayoutsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WalletPayoutEntity)
    private readonly payouts: Repository<WalletPayoutEntity>,
    private readonly wallets: WalletsService,
    private readonly holds: WalletHoldsService,
    private readonly settlement: WalletPayoutSettlementService,
    private readonly registry: GatewayRegistry,
    private readonly payments: PaymentsService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    @Inject(walletsConfig.KEY) private readonly config: ConfigType<typeof walletsConfig>,
  ) {}

  /** Withdraws from one of the caller's wallets. A gateway refusal is a FAILED payout, not an error. */
  async withdraw(
    caller: AuthUser,
    actor: AuditActor,
    input: WithdrawRequest,
  ): Promise<WalletPayoutEntity> {
    const { idempotencyKey, ...request } = input;
    const payoutId = await runWalletCommand(
      this.idempotency,
      caller,
      idempotencyKey,
      'withdrawFunds',
      request,
      () => this.withdrawOnce(caller, actor, request),
    );
    return this.payouts.findOneByOrFail({ id: payoutId });
  }

  /**
   * Asks the gateway to pay (again: both gateways dedupe on our payout id, M-Pesa as a duplicate
   * OriginatorConversationID, PayPal by PayPal-Request-Id). Never throws a gateway error.
   * `firstTry`: a refusal that proves nothing was sent fails the payout; on a repeat it proves
   * nothing about the first request, so the outcome stays unknown.
   */
  async callGateway(payout: WalletPayoutEntity, firstTry: boolean): Promise<PayoutResult> {
    const amount = { amountMinor: payout.amountMinor, currency: payout.currency };
    let gateway: PaymentGateway;
    try {
      gateway = this.registry.getOrThrow(payout.gatewayCode);
    } catch (error) {
      return { status: 'unknown', message: (error as Error).message };
    }
    if (!gateway.payout) {
      return { status: 'unknown', message: `${payout.gatewayCode} cannot pay out` };
    }
    try {
      return await gateway.payout({
        payoutId: payout.id,
        amount,
        recipient: payoutRecipient(payout.gatewayCode, payout.recipient),
        note: payout.note ?? undefined,
        callbackUrl: this.payments.callbackUrl(payout.gatewayCode),
      });
    } catch (error) {
      if (firstTry && isGatewayError(error) && NOT_SENT.has(error.kind)) {
        return {
          status: 'failed',
          payoutReference: { id: payout.id },
          amount,
          failure: { gatewayCode: error.gatewayErrorCode ?? error.kind, message: error.message },
        };
      }
      if (!isGatewayError(error)) {
        this.logger.error(`Payout ${payout.id} call failed unexpectedly`, error as Error);
        return { status: 'unknown', message: 'unexpected error calling the gateway' };
      }
      return { status: 'unknown', message: `${error.kind}: ${error.message}` };
    }
  }

  // ---- reads ----

  /** The owner or staff; anyone else gets the same answer as for a payout that does not exist. */
  async findVisibleOrThrow(caller: AuthUser, id: string): Promise<WalletPayoutEntity> {
    const payout = await this.payouts.findOneBy({ id });
    if (!payout || !(STAFF_ROLES.includes(caller.role) || payout.userId === caller.userId)) {
      throw this.notFound(id);
    }
    return payout;
  }

  async findByIdOrThrow(id: string): Promise<WalletPayoutEntity> {
    const payout = await this.payouts.findOneBy({ id });
    if (!payout) throw this.notFound(id);
    return payout;
  }

  /** Newest first: one wallet's (owner or staff), else the caller's own, or every one for staff. */
  async list(caller: AuthUser, filter: PayoutFilter): Promise<Connection<WalletPayoutEntity>> {
    const where: FindOptionsWhere<WalletPayoutEntity> = {};
    if (filter.walletId) {
      await this.wallets.findVisibleOrThrow(caller, filter.walletId);
      where.walletId = filter.walletId;
    } else if (!STAFF_ROLES.includes(caller.role)) {
      where.userId = caller.userId;
    }
    if (filter.status) where.status = filter.status;
    if (filter.needsReview !== undefined) where.needsReview = filter.needsReview;
    return findKeysetPage(this.payouts, where, filter.first, filter.after);
  }

  // ---- the withdrawal ----

  private async withdrawOnce(
    caller: AuthUser,
    actor: AuditActor,
    request: Omit<WithdrawRequest, 'idempotencyKey'>,
  ): Promise<string> {
    const amountMinor = request.amountMinor;
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
      throw invalidWalletInput('amountMinor', 'must be a positive integer');
    }
    const wallet = await this.wallets.findOwnedOrThrow(caller, request.walletId);
    const gatewayCode = request.gatewayCode;
    const gateway = this.payoutGatewayOrThrow(gatewayCode, wallet, amountMinor);
    const recipient = preflightPayout(
      gatewayCode,
      { amountMinor, currency: wallet.currency },
      { phone: request.phone, email: request.email },
    );
    const note = request.note?.trim() || null;

    // (1) Hold the money and record the payout in one transaction.
    const payoutId = randomUUID();
    try {
      await withTransaction(this.dataSource, async (tx) => {
        const locked = (await this.wallets.lockWallets(tx, [wallet.id])).get(wallet.id)!;
        this.wallets.assertActive(locked);
        await this.wallets.assertWithinLimits(tx, locked, amountMinor, 'withdrawal');
        const hold = await this.holds.placeHold(
          {
            walletId: locked.id,
            amountMinor,
            expiresAt: new Date(Date.now() + this.config.payoutHoldDays * 86_400_000),
            reference: `payout:${payoutId}`,
            reason: `Withdrawal to ${gateway.code}`,
          },
          actor,
          tx,
        );
        await tx.insert(WalletPayoutEntity, {
          id: payoutId,
          walletId: locked.id,
          userId: caller.userId,
          gatewayCode,
          amountMinor,
          currency: locked.currency,
          recipient,
          note,
          status: WalletPayoutStatus.PENDING,
          holdId: hold.id,
          gatewayReferenceId: null,
          gatewayReference: null,
          failureCode: null,
          failureMessage: null,
          reconcileAttempts: 0,
          // Left to the callback or the reconciler once the gateway has answered.
          nextReconcileAt: null,
          needsReview: false,
          reviewReason: null,
          settledAt: null,
        });
        await this.audit.record(tx, {
          actor,
          action: 'wallet.payout.create',
          objectType: 'wallet_payout',
          objectId: payoutId,
          merchantId: null,
          details: {
            walletId: locked.id,
            gatewayCode,
            amountMinor,
            currency: locked.currency,
            recipient: maskRecipient(recipient),
            holdId: hold.id,
          },
        });
      });
    } catch (error) {
      if (isLedgerInsufficientFunds(error)) {
        throw new WalletError(
          WalletErrorCode.WALLET_INSUFFICIENT_FUNDS,
          'The wallet does not hold enough money for this withdrawal',
          { walletId: wallet.id },
        );
      }
      throw error;
    }

    // (2) The gateway call, with no transaction or lock held.
    const payout = await this.payouts.findOneByOrFail({ id: payoutId });
    const result = await this.callGateway(payout, true);

    // (3) Apply the answer: capture, release, or wait for the callback / reconciler.
    await this.settlement.apply(payoutId, result, 'api', actor);
    return payoutId;
  }

  private payoutGatewayOrThrow(
    gatewayCode: string,
    wallet: WalletEntity,
    amountMinor: number,
  ): PaymentGateway {
    if (!isPayoutGateway(gatewayCode) || !this.registry.isEnabled(gatewayCode)) {
      throw this.unsupported(`Withdrawals through ${gatewayCode} are not available`);
    }
    const gateway = this.registry.getOrThrow(gatewayCode);
    const { capabilities } = gateway;
    if (!capabilities.payouts || !gateway.payout) {
      throw this.unsupported(`${gatewayCode} cannot pay out`);
    }
    if (!capabilities.currencies.includes(wallet.currency)) {
      throw this.unsupported(
        `${gatewayCode} pays out in ${capabilities.currencies.join(', ')}; this wallet holds ${wallet.currency}`,
        { supportedCurrencies: capabilities.currencies },
      );
    }
    const min = capabilities.minAmountMinor[wallet.currency];
    const max = capabilities.maxAmountMinor[wallet.currency];
    if ((min !== undefined && amountMinor < min) || (max !== undefined && amountMinor > max)) {
      throw invalidWalletInput(
        'amountMinor',
        `must be between ${min ?? 1} and ${max ?? Number.MAX_SAFE_INTEGER} for ${gatewayCode}`,
      );
    }
    return gateway;
  }

  private unsupported(message: string, details?: Record<string, unknown>): WalletError {
    return new WalletError(WalletErrorCode.WALLET_PAYOUT_NOT_SUPPORTED, message, details);
  }

  private notFound(id: string): WalletError {
    return new WalletError(WalletErrorCode.WALLET_PAYOUT_NOT_FOUND, `No payout ${id}`);
  }
}
