import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withTransaction } from '../../database/transaction';
import { GatewayError } from '../../gateways/gateway.error';
import { GatewayRegistry } from '../../gateways/gateway-registry';
import type {
  CancelRequest,
  CaptureRequest,
  ChargeOutcome,
  GatewayCapabilities,
  GatewayReference,
  InitiateRequest,
  ParsedWebhook,
  PaymentGateway,
  RefundOutcome,
  RefundRequest,
} from '../../gateways/payment-gateway';
import { systemActor } from '../audit/audit-actor';
import { JournalEntryEntity } from '../ledger/entities/journal-entry.entity';
import { LedgerService } from '../ledger/ledger.service';
import type { AccountRef } from '../ledger/ledger.types';
import { RefundEntity } from '../payments/entities/refund.entity';
import { WalletHoldEntity } from './entities/wallet-hold.entity';
import { walletAccount, WalletJournalKind } from './wallet-accounts';
import { WalletHoldStatus } from './wallet-hold-status';
import { WalletHoldsService } from './wallet-holds.service';
import { walletsConfig } from './wallets.config';
import { WalletError, WalletErrorCode } from './wallets.errors';
import { WalletsService } from './wallets.service';

/** The wallet side of the clearing account: nets to zero once the payments module books the capture. */
const walletClearing = (currency: string): AccountRef => ({
  kind: 'gateway_clearing',
  ownerId: 'wallet',
  currency,
});

const ACTOR = systemActor('wallet-gateway');

/**
 * How long a refund may still be on its way into the wallet: its transaction can wait for the
 * wallet's lock and be retried (4 tries of up to a 50 s lock wait each). Until then "not posted"
 * means "not yet", never "failed".
 */
const REFUND_IN_FLIGHT_MS = 15 * 60 * 1000;

/** Why a wallet cannot pay, in the words a card network would use. None of these is worth retrying. */
const DECLINES: Partial<Record<WalletErrorCode, string>> = {
  [WalletErrorCode.WALLET_NOT_FOUND]: 'wallet_not_found',
  [WalletErrorCode.WALLET_FROZEN]: 'wallet_frozen',
  [WalletErrorCode.WALLET_INSUFFICIENT_FUNDS]: 'insufficient_funds',
  [WalletErrorCode.WALLET_CURRENCY_MISMATCH]: 'currency_mismatch',
};

/**
 * Paying from a Payrail wallet, behind the same gateway contract as Stripe or M-Pesa, so the payments
 * module keeps one lifecycle (attempts, capture, void, refunds, idempotency, ledger) for every method.
 *
 * The "gateway" is a wallet hold: an authorization places a hold (reference `payment:<attemptId>`),
 * a capture takes the hold into `gateway_clearing:wallet`, a void releases it, a refund credits the
 * wallet back from that clearing account. The payments module then books the other side
 * (clearing → merchant balance and fees) exactly as for an external gateway, so the clearing account
 * nets to zero. Each step commits on its own, like a call to a real gateway; fetchStatus reads the
 * hold, so reconciliation can settle a payment whose answer was lost.
 */
@Injectable()
export class WalletPaymentGateway implements PaymentGateway, OnModuleInit {
  readonly code = 'wallet' as const;
  readonly capabilities: GatewayCapabilities = {
    manualCapture: true,
    // One capture per hold: a partial capture releases the rest.
    partialCapture: true,
    voidAuthorization: true,
    partialRefund: true,
    multipleRefunds: true,
    payouts: false,
    paymentMethods: ['wallet_balance'],
    // Any currency a wallet holds: the payment's currency must equal the wallet's.
    currencies: [],
    minAmountMinor: {},
    maxAmountMinor: {},
  };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly wallets: WalletsService,
    private readonly holds: WalletHoldsService,
    private readonly ledger: LedgerService,
    private readonly registry: GatewayRegistry,
    @Inject(walletsConfig.KEY) private readonly config: ConfigType<typeof walletsConfig>,
  ) {}

  onModuleInit(): void {
    this.registry.registerInternal(this);
  }

  /** Authorizes (places a hold) and, for automatic capture, captures it in the same transaction. */
  async initiate(request: InitiateRequest): Promise<ChargeOutcome> {
    const walletId = request.paymentMethodToken;
    const payer = request.metadata?.payerUserId;
    if (!walletId || !payer) {
      throw new GatewayError('invalid_request', 'A wallet payment needs the wallet and its payer');
    }
    const reference = `payment:${request.attemptId}`;
    const automatic = request.captureMode === 'automatic';
    try {
      return await withTransaction(this.dataSource, async (tx) => {
        const wallet = (await this.wallets.lockWallets(tx, [walletId])).get(walletId)!;
        if (wallet.userId !== payer) {
          throw new WalletError(WalletErrorCode.WALLET_NOT_FOUND, 'No such wallet of yours');
        }
        if (wallet.currency !== request.amount.currency) {
          throw new WalletError(
            WalletErrorCode.WALLET_CURRENCY_MISMATCH,
            `The wallet holds ${wallet.currency}; the payment is in ${request.amount.currency}`,
          );
        }
        const expiresAt = new Date(
          Date.now() + (automatic ? 10 * 60 : this.config.paymentAuthorizationHours * 3600) * 1000,
        );
        const hold = await this.holds.placeHold(
          {
            walletId,
            amountMinor: request.amount.amountMinor,
            expiresAt,
            reference,
            reason: request.description,
          },
          ACTOR,
          tx,
        );
        const handle = this.referenceOf(hold);
        if (!automatic || hold.status === WalletHoldStatus.CAPTURED) {
          return this.outcomeOf(hold);
        }
        const captured = await this.holds.captureHold(
          hold.id,
          request.amount.amountMinor,
          walletClearing(wallet.currency),
          ACTOR,
          tx,
        );
        return {
          status: 'captured',
          reference: handle,
          capturedAmount: { amountMinor: captured.capturedAmountMinor, currency: hold.currency },
        } satisfies ChargeOutcome;
      });
    } catch (error) {
      const declineCode = error instanceof WalletError ? DECLINES[error.code] : undefined;
      if (!declineCode) throw error;
      const message = (error as WalletError).message;
      return {
        status: 'declined',
        decline: { gatewayCode: declineCode, message, retryable: false },
      };
    }
  }

  async capture(request: CaptureRequest): Promise<ChargeOutcome> {
    const hold = await this.holdOf(request.reference);
    if (hold.status === WalletHoldStatus.ACTIVE && hold.expiresAt.getTime() > Date.now()) {
      try {
        const captured = await this.holds.captureHold(
          hold.id,
          request.amount.amountMinor,
          walletClearing(hold.currency),
          ACTOR,
        );
        return this.outcomeOf(captured);
      } catch (error) {
        if (!(error instanceof WalletError)) throw error;
        if (error.code !== WalletErrorCode.WALLET_HOLD_NOT_ACTIVE) {
          throw new GatewayError('rejected', error.message, { gatewayErrorCode: error.code });
        }
        // Settled meanwhile (a racing capture or void): report the hold as it now stands.
      }
    }
    const current = await this.holdOf(request.reference);
    if (
      current.status === WalletHoldStatus.CAPTURED &&
      current.capturedAmountMinor !== request.amount.amountMinor
    ) {
      throw new GatewayError(
        'rejected',
        `This wallet authorization was already captured for ${current.capturedAmountMinor}`,
      );
    }
    return this.outcomeOf(current);
  }

  async cancel(request: CancelRequest): Promise<ChargeOutcome> {
    const hold = await this.holdOf(request.reference);
    if (hold.status === WalletHoldStatus.ACTIVE) {
      try {
        return this.outcomeOf(await this.holds.releaseHold(hold.id, ACTOR));
      } catch (error) {
        if (
          !(error instanceof WalletError) ||
          error.code !== WalletErrorCode.WALLET_HOLD_NOT_ACTIVE
        )
          throw error;
      }
    }
    return this.outcomeOf(await this.holdOf(request.reference));
  }

  /** Credits the wallet back from the clearing account; once per refund id. */
  async refund(request: RefundRequest): Promise<RefundOutcome> {
    const walletId = request.reference.extra?.walletId;
    if (!walletId) throw new GatewayError('invalid_request', 'The reference names no wallet');
    await withTransaction(this.dataSource, async (tx) => {
      // Wallet row first, as every wallet writer does, then the ledger.
      const wallet = (await this.wallets.lockWallets(tx, [walletId])).get(walletId)!;
      if (wallet.currency !== request.amount.currency) {
        throw new GatewayError('invalid_request', 'The refund currency is not the wallet’s');
      }
      await this.ledger.post(tx, {
        kind: WalletJournalKind.PaymentRefund,
        reference: request.refundId,
        description: `Refund ${request.refundId} of a wallet payment`,
        postings: [
          { account: walletClearing(wallet.currency), amountMinor: request.amount.amountMinor },
          { account: walletAccount(wallet), amountMinor: -request.amount.amountMinor },
        ],
      });
    });
    return {
      status: 'succeeded',
      refundReference: { id: request.refundId, extra: { walletId } },
      amount: request.amount,
    };
  }

  /**
   * The hold is the truth: active = authorized, captured, or released/expired = cancelled. The
   * reconciler may ask with only the attempt id (its answer was lost): initiate is one transaction,
   * so no hold for that attempt means nothing happened.
   */
  async fetchStatus(reference: GatewayReference): Promise<ChargeOutcome> {
    const holds = this.dataSource.getRepository(WalletHoldEntity);
    const hold =
      (await holds.findOneBy({ id: reference.id })) ??
      (await holds.findOneBy({ reference: `payment:${reference.id}` }));
    if (!hold) {
      return {
        status: 'declined',
        decline: {
          gatewayCode: 'not_found',
          message: 'The wallet never authorized this attempt',
          retryable: false,
        },
      };
    }
    return this.outcomeOf(hold);
  }

  /**
   * A refund is one journal, posted or not. Not posted is final only once the refund is older than
   * any refund transaction can be: before that it may still be waiting for the wallet's lock, and
   * calling it failed would let the credit land on a refund the payments module had closed (the
   * wallet paid back, the merchant never charged).
   */
  async fetchRefundStatus(
    refundReference: GatewayReference,
    paymentReference: GatewayReference,
  ): Promise<RefundOutcome> {
    const hold = await this.holdOf(paymentReference);
    const posted = await this.dataSource.getRepository(JournalEntryEntity).exists({
      where: { kind: WalletJournalKind.PaymentRefund, reference: refundReference.id },
    });
    const refund = await this.dataSource
      .getRepository(RefundEntity)
      .findOneBy({ id: refundReference.id });
    const amount = {
      amountMinor: refund?.amountMinor ?? 0,
      currency: refund?.currency ?? hold.currency,
    };
    if (posted) return { status: 'succeeded', refundReference, amount };
    if (refund && refund.createdAt.getTime() > Date.now() - REFUND_IN_FLIGHT_MS) {
      return { status: 'pending', refundReference, amount };
    }
    return {
      status: 'failed',
      refundReference,
      amount,
      failure: { gatewayCode: 'not_posted', message: 'The wallet was never credited' },
    };
  }

  parseWebhook(): Promise<ParsedWebhook> {
    return Promise.reject(new GatewayError('invalid_webhook', 'The wallet takes no callbacks'));
  }

  private async holdOf(reference: GatewayReference): Promise<WalletHoldEntity> {
    const hold = await this.dataSource.getRepository(WalletHoldEntity).findOneBy({
      id: reference.id,
    });
    if (!hold) throw new GatewayError('rejected', `No wallet authorization ${reference.id}`);
    return hold;
  }

  private referenceOf(hold: WalletHoldEntity): GatewayReference {
    return { id: hold.id, extra: { walletId: hold.walletId } };
  }

  private outcomeOf(hold: WalletHoldEntity): ChargeOutcome {
    const reference = this.referenceOf(hold);
    const expired = hold.status === WalletHoldStatus.ACTIVE && hold.expiresAt <= new Date();
    if (hold.status === WalletHoldStatus.CAPTURED) {
      return {
        status: 'captured',
        reference,
        capturedAmount: { amountMinor: hold.capturedAmountMinor, currency: hold.currency },
      };
    }
    if (hold.status === WalletHoldStatus.ACTIVE && !expired) {
      return {
        status: 'authorized',
        reference,
        authorizedAmount: { amountMinor: hold.amountMinor, currency: hold.currency },
      };
    }
    return {
      status: 'cancelled',
      reference,
      reason:
        expired || hold.status === WalletHoldStatus.EXPIRED ? 'authorization expired' : 'released',
    };
  }
}
