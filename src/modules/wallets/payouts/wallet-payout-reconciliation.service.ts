import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, LessThanOrEqual, Repository } from 'typeorm';
import { withTransaction } from '../../../database/transaction';
import { GatewayRegistry } from '../../../gateways/gateway-registry';
import { GatewayError, isGatewayError } from '../../../gateways/gateway.error';
import { systemActor } from '../../audit/audit-actor';
import type { AuditActor } from '../../audit/audit.types';
import { paymentsConfig } from '../../payments/payments.config';
import { WalletHoldEntity } from '../entities/wallet-hold.entity';
import { WalletHoldStatus } from '../wallet-hold-status';
import { WalletHoldsService } from '../wallet-holds.service';
import { walletsConfig } from '../wallets.config';
import { WalletPayoutEntity } from './wallet-payout.entity';
import {
  type PayoutResult,
  type PayoutSource,
  WalletPayoutSettlementService,
} from './wallet-payout-settlement.service';
import {
  isFinalPayoutStatus,
  OPEN_WALLET_PAYOUT_STATUSES,
  WalletPayoutStatus,
} from './wallet-payout-status';
import { WalletPayoutsService } from './wallet-payouts.service';

export interface PayoutReconcileReport {
  checked: number;
  resolved: number;
  flaggedForReview: number;
  holdsRenewed: number;
}

export type PayoutReconcileResult = 'resolved' | 'pending' | 'flagged';

const DAY_MS = 86_400_000;

/**
 * Asks the gateways about withdrawals left open (a lost callback, a timeout, a process that died
 * between holding the money and calling the gateway) on the payments' reconciliation schedule,
 * and applies the answer. After the last check the payout is flagged `needsReview` and its money
 * stays held: a person decides. Also keeps open payouts' holds from lapsing.
 */
@Injectable()
export class WalletPayoutReconciliationService {
  private readonly logger = new Logger(WalletPayoutReconciliationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WalletPayoutEntity)
    private readonly payouts: Repository<WalletPayoutEntity>,
    private readonly registry: GatewayRegistry,
    private readonly settlement: WalletPayoutSettlementService,
    private readonly payoutsService: WalletPayoutsService,
    private readonly holds: WalletHoldsService,
    @Inject(paymentsConfig.KEY) private readonly payments: ConfigType<typeof paymentsConfig>,
    @Inject(walletsConfig.KEY) private readonly config: ConfigType<typeof walletsConfig>,
  ) {}

  /** The repeatable sweep: every open payout that is due, then holds close to lapsing. */
  async runDue(now = new Date(), limit = 100): Promise<PayoutReconcileReport> {
    const report: PayoutReconcileReport = {
      checked: 0,
      resolved: 0,
      flaggedForReview: 0,
      holdsRenewed: 0,
    };
    // A PENDING payout older than this lost its process between holding the money and applying
    // the gateway's answer (never seen in a live call, which gives up long before).
    const stale = new Date(now.getTime() - this.payments.pendingOperationTimeoutSeconds * 1000);
    const due = await this.payouts.find({
      select: { id: true },
      where: [
        {
          status: In([WalletPayoutStatus.PROCESSING, WalletPayoutStatus.UNKNOWN]),
          nextReconcileAt: LessThanOrEqual(now),
        },
        {
          status: WalletPayoutStatus.PENDING,
          needsReview: false,
          updatedAt: LessThanOrEqual(stale),
        },
      ],
      order: { nextReconcileAt: 'ASC' },
      take: limit,
    });
    const actor = systemActor('reconcile-wallet-payouts');
    for (const { id } of due) {
      report.checked++;
      const result = await this.reconcile(id, actor).catch((error: Error) => {
        this.logger.warn(`Reconciling wallet payout ${id} failed: ${error.message}`);
        return null;
      });
      if (result?.result === 'resolved') report.resolved++;
      if (result?.result === 'flagged') report.flaggedForReview++;
    }
    report.holdsRenewed = await this.renewHolds(now);
    return report;
  }

  /** One payout now: ask the gateway, apply the answer, or schedule the next check. */
  async reconcile(
    payoutId: string,
    actor: AuditActor,
  ): Promise<{ payout: WalletPayoutEntity; result: PayoutReconcileResult }> {
    const payout = await this.payoutsService.findByIdOrThrow(payoutId);
    if (isFinalPayoutStatus(payout.status)) return { payout, result: 'resolved' };
    try {
      const fresh = await this.settlement.apply(
        payoutId,
        await this.ask(payout),
        'reconciliation',
        actor,
      );
      if (isFinalPayoutStatus(fresh.status)) return { payout: fresh, result: 'resolved' };
    } catch (error) {
      if (isGatewayError(error)) {
        this.logger.debug(
          `Wallet payout ${payoutId}: ${payout.gatewayCode} status unavailable (${error.kind})`,
        );
      } else {
        // Our own failure (a row gone missing, a bug): keep to the schedule rather than retrying
        // every sweep for ever, so the payout ends in review like any other that cannot settle.
        this.logger.error(`Wallet payout ${payoutId}: reconciling failed`, error as Error);
      }
    }
    const result = await this.scheduleNext(payoutId, actor);
    return { payout: await this.payoutsService.findByIdOrThrow(payoutId), result };
  }

  /**
   * Confirms an unsigned callback with the gateway, as the payments module does before moving
   * money. M-Pesa answers its status query by another callback, which is trusted as it stands.
   * Gateway errors propagate, so the callback job retries.
   */
  async confirm(
    payout: WalletPayoutEntity,
    source: PayoutSource,
    actor: AuditActor,
  ): Promise<WalletPayoutEntity> {
    return this.settlement.apply(payout.id, await this.ask(payout), source, actor);
  }

  /**
   * The gateway's status of the payout. Without its handle (the answer to our call was lost) the
   * payout is requested again under the same id, which both gateways dedupe: the answer is the
   * first request's, now with the handle.
   */
  private async ask(payout: WalletPayoutEntity): Promise<PayoutResult> {
    const gateway = this.registry.getOrThrow(payout.gatewayCode);
    if (payout.gatewayReference && gateway.fetchPayoutStatus) {
      return gateway.fetchPayoutStatus(payout.gatewayReference);
    }
    // Sending again is only how an open payout learns its handle. A settled one is never sent
    // again: a FAILED payout gave its money back, and a new request could pay it out after all.
    if (isFinalPayoutStatus(payout.status)) {
      throw new GatewayError(
        'invalid_request',
        `Payout ${payout.id} is ${payout.status} and ${payout.gatewayCode} cannot be asked about it without sending it again`,
      );
    }
    return this.payoutsService.callGateway(payout, false);
  }

  private async scheduleNext(payoutId: string, actor: AuditActor): Promise<PayoutReconcileResult> {
    return withTransaction(this.dataSource, async (tx) => {
      const payout = await this.settlement.lockPayout(tx, payoutId);
      if (isFinalPayoutStatus(payout.status)) return 'resolved';
      const attempts = payout.reconcileAttempts + 1;
      const next = this.settlement.reconcileAt(attempts);
      await tx.update(
        WalletPayoutEntity,
        { id: payoutId },
        { reconcileAttempts: attempts, nextReconcileAt: next },
      );
      if (next !== null) return 'pending';
      await this.settlement.markForReview(
        tx,
        payout,
        `Still ${payout.status} after ${attempts} reconciliation checks; the amount stays held until a person decides`,
        actor,
      );
      return 'flagged';
    });
  }

  /**
   * Pushes the expiry of open payouts' holds out again once less than half of
   * WALLET_PAYOUT_HOLD_DAYS is left, so a payout waiting for a person never loses its money.
   */
  async renewHolds(now = new Date(), limit = 100): Promise<number> {
    const lifetimeMs = this.config.payoutHoldDays * DAY_MS;
    const threshold = new Date(now.getTime() + lifetimeMs / 2);
    const rows = await this.payouts
      .createQueryBuilder('payout')
      .innerJoin(WalletHoldEntity, 'hold', 'hold.id = payout.holdId')
      .select('payout.id', 'id')
      .where('payout.status IN (:...open)', { open: OPEN_WALLET_PAYOUT_STATUSES })
      .andWhere('hold.status = :active', { active: WalletHoldStatus.ACTIVE })
      .andWhere('hold.expiresAt < :threshold', { threshold })
      .limit(limit)
      .getRawMany<{ id: string }>();
    let renewed = 0;
    for (const { id } of rows) {
      const done = await withTransaction(this.dataSource, async (tx) => {
        const payout = await this.settlement.lockPayout(tx, id);
        if (isFinalPayoutStatus(payout.status)) return false;
        const extended = await this.holds.extendHold(
          payout.holdId,
          new Date(now.getTime() + lifetimeMs),
          systemActor('reconcile-wallet-payouts'),
          tx,
        );
        if (!extended) return false;
        return true;
      });
      if (done) renewed++;
    }
    return renewed;
  }
}
