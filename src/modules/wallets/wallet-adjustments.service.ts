import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, type FindOptionsWhere, Repository } from 'typeorm';
import type { Connection } from '../../common/graphql/pagination';
import { findKeysetPage } from '../../database/keyset-page';
import { withTransaction } from '../../database/transaction';
import type { AuditActor } from '../audit/audit.types';
import { AuditService } from '../audit/audit.service';
import { isLedgerInsufficientFunds } from '../ledger/ledger.errors';
import { LedgerService } from '../ledger/ledger.service';
import { WalletAdjustmentEntity } from './entities/wallet-adjustment.entity';
import { suspenseAccount, walletAccount, WalletJournalKind } from './wallet-accounts';
import { canTransitionAdjustment, WalletAdjustmentStatus } from './wallet-adjustment-status';
import { WalletError, WalletErrorCode } from './wallets.errors';
import { WalletsService } from './wallets.service';

export interface AdjustmentFilter {
  readonly status?: WalletAdjustmentStatus;
  readonly walletId?: string;
  readonly first: number;
  readonly after?: string;
}

/**
 * Manual wallet credits and debits with two-person approval: one admin proposes, a different
 * admin approves, and only then is journal (wallet.adjustment, <id>) posted against the
 * platform's suspense account.
 */
@Injectable()
export class WalletAdjustmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WalletAdjustmentEntity)
    private readonly adjustments: Repository<WalletAdjustmentEntity>,
    private readonly wallets: WalletsService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  async propose(
    proposerId: string,
    walletId: string,
    amountMinor: number,
    reason: string,
    actor: AuditActor,
  ): Promise<WalletAdjustmentEntity> {
    if (!Number.isSafeInteger(amountMinor) || amountMinor === 0) {
      throw new WalletError(
        WalletErrorCode.WALLET_INVALID_INPUT,
        'amountMinor must be a non-zero integer',
        { fields: { amountMinor: ['must be a non-zero integer'] } },
      );
    }
    if (!reason?.trim()) {
      throw new WalletError(WalletErrorCode.WALLET_INVALID_INPUT, 'A reason is required', {
        fields: { reason: ['is required'] },
      });
    }
    const wallet = await this.wallets.findByIdOrThrow(walletId);
    const id = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(WalletAdjustmentEntity, {
        id,
        walletId,
        amountMinor,
        currency: wallet.currency,
        reason: reason.trim(),
        status: WalletAdjustmentStatus.PROPOSED,
        proposedBy: proposerId,
        decidedBy: null,
        decidedAt: null,
        decisionNote: null,
      });
      await this.audit.record(manager, {
        actor,
        action: 'wallet.adjustment.propose',
        objectType: 'wallet_adjustment',
        objectId: id,
        merchantId: null,
        details: { walletId, amountMinor, currency: wallet.currency, reason: reason.trim() },
      });
    });
    return this.adjustments.findOneByOrFail({ id });
  }

  /** A second admin approves: posts the journal. The proposer cannot approve their own adjustment. */
  async approve(
    approverId: string,
    adjustmentId: string,
    actor: AuditActor,
  ): Promise<WalletAdjustmentEntity> {
    try {
      return await withTransaction(this.dataSource, async (manager) => {
        const { adjustment, wallet } = await this.lock(manager, adjustmentId);
        this.assertPending(adjustment, WalletAdjustmentStatus.APPROVED);
        if (adjustment.proposedBy === approverId) {
          throw new WalletError(
            WalletErrorCode.WALLET_ADJUSTMENT_SAME_APPROVER,
            'A different admin must approve this adjustment',
          );
        }
        // A debit may not eat into money reserved by holds.
        if (adjustment.amountMinor < 0) {
          await this.wallets.assertAvailable(manager, wallet, -adjustment.amountMinor);
        }
        await manager.update(
          WalletAdjustmentEntity,
          { id: adjustment.id },
          {
            status: WalletAdjustmentStatus.APPROVED,
            decidedBy: approverId,
            decidedAt: new Date(),
          },
        );
        await this.audit.record(manager, {
          actor,
          action: 'wallet.adjustment.approve',
          objectType: 'wallet_adjustment',
          objectId: adjustment.id,
          merchantId: null,
          details: {
            walletId: wallet.id,
            amountMinor: adjustment.amountMinor,
            currency: adjustment.currency,
            proposedBy: adjustment.proposedBy,
          },
        });
        await this.ledger.post(manager, {
          kind: WalletJournalKind.Adjustment,
          reference: adjustment.id,
          description: `Wallet adjustment: ${adjustment.reason}`.slice(0, 500),
          postings: [
            // Crediting the wallet (negative) for a positive adjustment.
            { account: walletAccount(wallet), amountMinor: -adjustment.amountMinor },
            { account: suspenseAccount(wallet.currency), amountMinor: adjustment.amountMinor },
          ],
        });
        return manager.findOneByOrFail(WalletAdjustmentEntity, { id: adjustment.id });
      });
    } catch (error) {
      if (isLedgerInsufficientFunds(error)) {
        throw new WalletError(
          WalletErrorCode.WALLET_INSUFFICIENT_FUNDS,
          'The wallet does not hold enough money for this debit',
        );
      }
      throw error;
    }
  }

  /** Refuses (or, by the proposer, withdraws) an adjustment; nothing is posted. */
  reject(
    deciderId: string,
    adjustmentId: string,
    actor: AuditActor,
    note?: string | null,
  ): Promise<WalletAdjustmentEntity> {
    return withTransaction(this.dataSource, async (manager) => {
      const { adjustment } = await this.lock(manager, adjustmentId);
      this.assertPending(adjustment, WalletAdjustmentStatus.REJECTED);
      await manager.update(
        WalletAdjustmentEntity,
        { id: adjustment.id },
        {
          status: WalletAdjustmentStatus.REJECTED,
          decidedBy: deciderId,
          decidedAt: new Date(),
          decisionNote: note?.trim() || null,
        },
      );
      await this.audit.record(manager, {
        actor,
        action: 'wallet.adjustment.reject',
        objectType: 'wallet_adjustment',
        objectId: adjustment.id,
        merchantId: null,
        details: { walletId: adjustment.walletId, note: note?.trim() || null },
      });
      return manager.findOneByOrFail(WalletAdjustmentEntity, { id: adjustment.id });
    });
  }

  list(filter: AdjustmentFilter): Promise<Connection<WalletAdjustmentEntity>> {
    const where: FindOptionsWhere<WalletAdjustmentEntity> = {};
    if (filter.status) where.status = filter.status;
    if (filter.walletId) where.walletId = filter.walletId;
    return findKeysetPage(this.adjustments, where, filter.first, filter.after);
  }

  /** Wallet row first, then the adjustment: the order every wallet writer uses. */
  private async lock(manager: EntityManager, adjustmentId: string) {
    const unlocked = await manager.findOneBy(WalletAdjustmentEntity, { id: adjustmentId });
    if (!unlocked) {
      throw new WalletError(
        WalletErrorCode.WALLET_ADJUSTMENT_NOT_FOUND,
        `No wallet adjustment ${adjustmentId}`,
      );
    }
    const wallet = (await this.wallets.lockWallets(manager, [unlocked.walletId])).get(
      unlocked.walletId,
    )!;
    const adjustment = await manager
      .getRepository(WalletAdjustmentEntity)
      .createQueryBuilder('adjustment')
      .where('adjustment.id = :id', { id: adjustmentId })
      .setLock('pessimistic_write')
      .getOneOrFail();
    return { adjustment, wallet };
  }

  private assertPending(adjustment: WalletAdjustmentEntity, to: WalletAdjustmentStatus): void {
    if (!canTransitionAdjustment(adjustment.status, to)) {
      throw new WalletError(
        WalletErrorCode.WALLET_ADJUSTMENT_NOT_PENDING,
        `The adjustment is already ${adjustment.status}`,
        { status: adjustment.status },
      );
    }
  }
}
