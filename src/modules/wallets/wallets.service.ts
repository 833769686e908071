import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import {
  DataSource,
  In,
  MoreThanOrEqual,
  Not,
  type EntityManager,
  type FindOptionsWhere,
  Repository,
} from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { CommonErrorCode } from '../../common/errors/common.errors';
import { DomainError } from '../../common/errors/domain-error';
import type { Connection } from '../../common/graphql/pagination';
import { isCurrencyCode } from '../../common/money/money';
import { withTransaction } from '../../database/transaction';
import { findKeysetPage } from '../../database/keyset-page';
import type { AuditActor } from '../audit/audit.types';
import { AuditService } from '../audit/audit.service';
import { accountIdFor, normalBalance } from '../ledger/ledger-accounts';
import { LedgerService } from '../ledger/ledger.service';
import type { LedgerAccountKind } from '../ledger/ledger.types';
import { MerchantEntity } from '../users/entities/merchant.entity';
import { STAFF_ROLES } from '../users/role';
import { WalletEntity } from './entities/wallet.entity';
import { WalletHoldEntity } from './entities/wallet-hold.entity';
import { WalletTransferEntity } from './entities/wallet-transfer.entity';
import { WalletPayoutEntity } from './payouts/wallet-payout.entity';
import { WalletPayoutStatus } from './payouts/wallet-payout-status';
import { startOfUtcDay, walletAccount, WalletJournalKind } from './wallet-accounts';
import { WalletHoldStatus } from './wallet-hold-status';
import { canTransitionWallet, WalletStatus } from './wallet-status';
import { walletsConfig } from './wallets.config';
import { WalletError, WalletErrorCode } from './wallets.errors';

/** A wallet's money: the ledger balance, what active holds reserve, and what is left to spend. */
export interface WalletBalances {
  readonly balanceMinor: number;
  readonly heldMinor: number;
  readonly availableMinor: number;
}

export interface WalletFilter {
  /** Staff only: another user's wallets. */
  readonly userId?: string;
  readonly first: number;
  readonly after?: string;
}

export interface WalletLimits {
  readonly dailyTransferLimitMinor?: number;
  readonly maxTransferMinor?: number;
}

/** One posting on a wallet's account, newest first, with the balance right after it. */
export interface StatementLine {
  readonly postingId: string;
  readonly journalEntryId: string;
  readonly sequence: number;
  readonly lineNumber: number;
  readonly kind: string;
  readonly reference: string;
  readonly description: string | null;
  /** Positive: money into the wallet; negative: money out. */
  readonly amountMinor: number;
  readonly balanceAfterMinor: number;
  readonly counterparty: string;
  readonly createdAt: Date;
}

export interface StatementPage {
  readonly edges: { cursor: string; node: StatementLine }[];
  readonly pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

interface StatementRow {
  postingId: string;
  journalEntryId: string;
  sequence: string;
  lineNumber: number;
  amountMinor: string;
  createdAt: Date;
  kind: string;
  reference: string;
  description: string | null;
}

const encodeStatementCursor = (sequence: number, lineNumber: number): string =>
  Buffer.from(JSON.stringify(['s', sequence, lineNumber])).toString('base64url');

function decodeStatementCursor(cursor: string): { sequence: number; lineNumber: number } {
  try {
    const [tag, sequence, lineNumber] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as [string, number, number];
    if (tag !== 's' || !Number.isSafeInteger(sequence) || !Number.isSafeInteger(lineNumber)) {
      throw new Error('bad cursor');
    }
    return { sequence, lineNumber };
  } catch {
    throw new DomainError(
      CommonErrorCode.INVALID_CURSOR,
      'bad_input',
      'The cursor is not valid for this list',
    );
  }
}

/**
 * Wallets: one per user and currency, opened on demand. Reads balances from the ledger, owns the
 * wallet row lock that every money movement takes first, and writes status and limits.
 */
@Injectable()
export class WalletsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WalletEntity) private readonly wallets: Repository<WalletEntity>,
    @InjectRepository(MerchantEntity) private readonly merchants: Repository<MerchantEntity>,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    @Inject(walletsConfig.KEY) private readonly config: ConfigType<typeof walletsConfig>,
  ) {}

  // ---- reads ----

  canSee(caller: AuthUser, wallet: WalletEntity): boolean {
    return STAFF_ROLES.includes(caller.role) || wallet.userId === caller.userId;
  }

  /** The owner or staff; anyone else gets the same answer as for a wallet that does not exist. */
  async findVisibleOrThrow(caller: AuthUser, id: string): Promise<WalletEntity> {
    const wallet = await this.wallets.findOneBy({ id });
    if (!wallet || !this.canSee(caller, wallet)) throw this.notFound(id);
    return wallet;
  }

  /** Only the owner may move a wallet's money, whatever their role. */
  async findOwnedOrThrow(caller: AuthUser, id: string): Promise<WalletEntity> {
    const wallet = await this.wallets.findOneBy({ id });
    if (!wallet || wallet.userId !== caller.userId) throw this.notFound(id);
    return wallet;
  }

  async findByIdOrThrow(id: string): Promise<WalletEntity> {
    const wallet = await this.wallets.findOneBy({ id });
    if (!wallet) throw this.notFound(id);
    return wallet;
  }

  list(caller: AuthUser, filter: WalletFilter): Promise<Connection<WalletEntity>> {
    const where: FindOptionsWhere<WalletEntity> = {
      // Only staff may look at someone else's wallets; for anyone else the filter is ignored.
      userId: STAFF_ROLES.includes(caller.role) && filter.userId ? filter.userId : caller.userId,
    };
    return findKeysetPage(this.wallets, where, filter.first, filter.after);
  }

  /** Balances of several wallets in two queries (for lists). */
  async balancesOf(
    wallets: readonly WalletEntity[],
    manager: EntityManager = this.dataSource.manager,
    now = new Date(),
  ): Promise<Map<string, WalletBalances>> {
    const result = new Map<string, WalletBalances>();
    if (wallets.length === 0) return result;
    const accountIds = wallets.map((wallet) => accountIdFor(walletAccount(wallet)));
    const accounts = (await manager.query(
      `SELECT id, balance_minor AS balance FROM ledger_accounts WHERE id IN (${accountIds.map(() => '?').join(', ')})`,
      accountIds,
    )) as { id: string; balance: string }[];
    const debitBalance = new Map(accounts.map((row) => [row.id, Number(row.balance)]));
    const held = await this.heldAmounts(
      manager,
      wallets.map((wallet) => wallet.id),
      now,
    );
    for (const wallet of wallets) {
      const balanceMinor = normalBalance(
        'user_wallet',
        debitBalance.get(accountIdFor(walletAccount(wallet))) ?? 0,
      );
      const heldMinor = held.get(wallet.id) ?? 0;
      result.set(wallet.id, { balanceMinor, heldMinor, availableMinor: balanceMinor - heldMinor });
    }
    return result;
  }

  async balancesOfOne(
    wallet: WalletEntity,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WalletBalances> {
    return (await this.balancesOf([wallet], manager)).get(wallet.id)!;
  }

  /**
   * Locks wallet rows FOR UPDATE in ascending id order, so any two movements touching the same
   * wallets queue instead of deadlocking. Every writer of a wallet's money or holds calls this
   * first, before the ledger locks its accounts (and then its chain head).
   */
  async lockWallets(
    manager: EntityManager,
    ids: readonly string[],
  ): Promise<Map<string, WalletEntity>> {
    const sorted = [...new Set(ids)].sort();
    const rows = await manager
      .getRepository(WalletEntity)
      .createQueryBuilder('wallet')
      .where('wallet.id IN (:...ids)', { ids: sorted })
      .orderBy('wallet.id', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of sorted) if (!byId.has(id)) throw this.notFound(id);
    return byId;
  }

  /** Opens the caller's wallet in a currency, or returns the one already open. */
  async open(userId: string, currency: string, actor: AuditActor): Promise<WalletEntity> {
    return this.ensureWallet(userId, currency, actor);
  }

  /**
   * The user's wallet in this currency, created if missing. Safe under concurrency: the insert
   * does nothing when the (user, currency) row already exists.
   */
  async ensureWallet(userId: string, currency: string, actor: AuditActor): Promise<WalletEntity> {
    const code = currency.toUpperCase();
    if (!isCurrencyCode(code)) {
      throw new WalletError(
        WalletErrorCode.WALLET_INVALID_INPUT,
        `"${currency}" is not an ISO 4217 currency code`,
        { fields: { currency: ['must be three letters'] } },
      );
    }
    const existing = await this.wallets.findOneBy({ userId, currency: code });
    if (existing) return existing;
    const id = randomUUID();
    const result = (await this.dataSource.query(
      `INSERT INTO wallets (id, user_id, currency, status, daily_transfer_limit_minor, max_transfer_minor)
       VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id`,
      [
        id,
        userId,
        code,
        WalletStatus.ACTIVE,
        this.config.defaultDailyLimitMinor,
        this.config.defaultMaxTransferMinor,
      ],
    )) as { affectedRows?: number };
    const wallet = await this.wallets.findOneByOrFail({ userId, currency: code });
    if (result.affectedRows === 1 && wallet.id === id) {
      await this.audit.record(null, {
        actor,
        action: 'wallet.open',
        objectType: 'wallet',
        objectId: wallet.id,
        merchantId: null,
        details: { userId, currency: code },
      });
    }
    return wallet;
  }

  /**
   * The ledger balance, active unexpired holds and available balance. Call after lockWallets:
   * every writer of this wallet's money or holds holds that lock, so the answer stays true until commit.
   */
  async balancesUnderLock(
    manager: EntityManager,
    wallet: WalletEntity,
    now = new Date(),
  ): Promise<WalletBalances> {
    return (await this.balancesOf([wallet], manager, now)).get(wallet.id)!;
  }

  /** Fails with WALLET_INSUFFICIENT_FUNDS unless the wallet can spend the amount right now. */
  async assertAvailable(
    manager: EntityManager,
    wallet: WalletEntity,
    amountMinor: number,
  ): Promise<WalletBalances> {
    const balances = await this.balancesUnderLock(manager, wallet);
    if (balances.availableMinor < amountMinor) {
      throw new WalletError(
        WalletErrorCode.WALLET_INSUFFICIENT_FUNDS,
        `The wallet has ${balances.availableMinor} available (${balances.heldMinor} on hold); ${amountMinor} is needed`,
        {
          walletId: wallet.id,
          availableMinor: balances.availableMinor,
          heldMinor: balances.heldMinor,
          requiredMinor: amountMinor,
        },
      );
    }
    return balances;
  }

  /**
   * Money leaving a wallet to someone else (a transfer or a withdrawal): one may not exceed
   * maxTransferMinor, and today's transfers plus today's withdrawals that have not failed may not
   * exceed dailyTransferLimitMinor. Call after lockWallets, so concurrent senders cannot both slip under.
   */
  async assertWithinLimits(
    manager: EntityManager,
    wallet: WalletEntity,
    amountMinor: number,
    what: 'transfer' | 'withdrawal',
  ): Promise<void> {
    if (amountMinor > wallet.maxTransferMinor) {
      throw new WalletError(
        WalletErrorCode.WALLET_LIMIT_EXCEEDED,
        `A single ${what} from this wallet may not exceed ${wallet.maxTransferMinor}`,
        { limit: 'MAX_TRANSFER', limitMinor: wallet.maxTransferMinor },
      );
    }
    const since = MoreThanOrEqual(startOfUtcDay(new Date()));
    const sum = async (query: Promise<{ total: string } | undefined>): Promise<number> =>
      Number((await query)?.total ?? 0);
    const sentToday =
      (await sum(
        manager
          .getRepository(WalletTransferEntity)
          .createQueryBuilder('row')
          .select('COALESCE(SUM(row.amountMinor), 0)', 'total')
          .where({ fromWalletId: wallet.id, createdAt: since })
          .getRawOne<{ total: string }>(),
      )) +
      (await sum(
        manager
          .getRepository(WalletPayoutEntity)
          .createQueryBuilder('row')
          .select('COALESCE(SUM(row.amountMinor), 0)', 'total')
          .where({
            walletId: wallet.id,
            createdAt: since,
            status: Not(WalletPayoutStatus.FAILED),
          })
          .getRawOne<{ total: string }>(),
      ));
    if (sentToday + amountMinor > wallet.dailyTransferLimitMinor) {
      throw new WalletError(
        WalletErrorCode.WALLET_LIMIT_EXCEEDED,
        `This ${what} would take today's total to ${sentToday + amountMinor}, over the daily limit of ${wallet.dailyTransferLimitMinor}`,
        {
          limit: 'DAILY_TOTAL',
          limitMinor: wallet.dailyTransferLimitMinor,
          sentTodayMinor: sentToday,
        },
      );
    }
  }

  assertActive(wallet: WalletEntity, which = 'The wallet'): void {
    if (wallet.status === WalletStatus.FROZEN) {
      throw new WalletError(WalletErrorCode.WALLET_FROZEN, `${which} is frozen`, {
        walletId: wallet.id,
      });
    }
  }

  // ---- statement ----

  /**
   * Postings on the wallet's account, newest first (ledger sequence order), each with the
   * balance right after it and a description of the other side.
   */
  async statement(
    caller: AuthUser,
    walletId: string,
    first: number,
    after?: string,
  ): Promise<StatementPage> {
    const wallet = await this.findVisibleOrThrow(caller, walletId);
    const accountId = accountIdFor(walletAccount(wallet));
    const position = after ? decodeStatementCursor(after) : null;
    const rows = (await this.dataSource.query(
      `SELECT posting.id AS postingId, posting.journal_entry_id AS journalEntryId,
              entry.sequence AS sequence, posting.line_number AS lineNumber,
              posting.amount_minor AS amountMinor, posting.created_at AS createdAt,
              entry.kind AS kind, entry.reference AS reference, entry.description AS description
         FROM ledger_postings posting
         JOIN journal_entries entry ON entry.id = posting.journal_entry_id
        WHERE posting.account_id = ?
          ${position ? 'AND (entry.sequence < ? OR (entry.sequence = ? AND posting.line_number < ?))' : ''}
        ORDER BY entry.sequence DESC, posting.line_number DESC
        LIMIT ${first + 1}`,
      position
        ? [accountId, position.sequence, position.sequence, position.lineNumber]
        : [accountId],
    )) as StatementRow[];
    const page = rows.slice(0, first);
    let balanceAfter = 0;
    if (page.length > 0) {
      // The balance after the newest line of the page: every posting up to and including it.
      const top = page[0];
      const [sum] = (await this.dataSource.query(
        `SELECT COALESCE(SUM(posting.amount_minor), 0) AS total
           FROM ledger_postings posting
           JOIN journal_entries entry ON entry.id = posting.journal_entry_id
          WHERE posting.account_id = ?
            AND (entry.sequence < ? OR (entry.sequence = ? AND posting.line_number <= ?))`,
        [accountId, top.sequence, top.sequence, top.lineNumber],
      )) as { total: string }[];
      balanceAfter = normalBalance('user_wallet', Number(sum.total));
    }
    const counterparties = await this.describeCounterparties(
      accountId,
      page.map((row) => row.journalEntryId),
    );
    const edges = page.map((row) => {
      const amountMinor = normalBalance('user_wallet', Number(row.amountMinor));
      const node: StatementLine = {
        postingId: row.postingId,
        journalEntryId: row.journalEntryId,
        sequence: Number(row.sequence),
        lineNumber: Number(row.lineNumber),
        kind: row.kind,
        reference: row.reference,
        description: row.description,
        amountMinor,
        balanceAfterMinor: balanceAfter,
        // A conversion's other side is the platform's exchange (fx and fees accounts), not a person.
        counterparty:
          row.kind === WalletJournalKind.Fx
            ? 'Payrail currency exchange'
            : (counterparties.get(row.journalEntryId) ?? 'Unknown'),
        createdAt: new Date(row.createdAt),
      };
      // Walking back in time: the balance before this line is the one after the next (older) line.
      balanceAfter -= amountMinor;
      return { cursor: encodeStatementCursor(node.sequence, node.lineNumber), node };
    });
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: Boolean(after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }

  // ---- admin ----

  async setStatus(
    walletId: string,
    status: WalletStatus,
    actor: AuditActor,
    reason?: string,
  ): Promise<WalletEntity> {
    return withTransaction(this.dataSource, async (manager) => {
      const wallet = (await this.lockWallets(manager, [walletId])).get(walletId)!;
      if (!canTransitionWallet(wallet.status, status)) {
        throw new WalletError(
          WalletErrorCode.WALLET_INVALID_STATUS_CHANGE,
          `A ${wallet.status} wallet cannot become ${status}`,
          { walletId, status: wallet.status },
        );
      }
      await manager.update(WalletEntity, { id: walletId }, { status });
      await this.audit.record(manager, {
        actor,
        action: status === WalletStatus.FROZEN ? 'wallet.freeze' : 'wallet.unfreeze',
        objectType: 'wallet',
        objectId: walletId,
        merchantId: null,
        details: { from: wallet.status, to: status, reason: reason ?? null },
      });
      return manager.findOneByOrFail(WalletEntity, { id: walletId });
    });
  }

  async setLimits(
    walletId: string,
    limits: WalletLimits,
    actor: AuditActor,
  ): Promise<WalletEntity> {
    for (const [field, value] of Object.entries(limits)) {
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
        throw new WalletError(WalletErrorCode.WALLET_INVALID_INPUT, `${field} must be at least 1`, {
          fields: { [field]: ['must be a positive integer'] },
        });
      }
    }
    return withTransaction(this.dataSource, async (manager) => {
      const wallet = (await this.lockWallets(manager, [walletId])).get(walletId)!;
      const changes = Object.fromEntries(
        Object.entries(limits).filter(([, value]) => value !== undefined),
      ) as WalletLimits;
      if (Object.keys(changes).length > 0) {
        await manager.update(WalletEntity, { id: walletId }, changes);
      }
      await this.audit.record(manager, {
        actor,
        action: 'wallet.limits.update',
        objectType: 'wallet',
        objectId: walletId,
        merchantId: null,
        details: {
          before: {
            dailyTransferLimitMinor: wallet.dailyTransferLimitMinor,
            maxTransferMinor: wallet.maxTransferMinor,
          },
          after: changes,
        },
      });
      return manager.findOneByOrFail(WalletEntity, { id: walletId });
    });
  }

  // ---- helpers ----

  notFound(id: string): WalletError {
    return new WalletError(WalletErrorCode.WALLET_NOT_FOUND, `No wallet ${id}`);
  }

  /** Sum of active, unexpired holds per wallet. An expired hold no longer reserves anything. */
  private async heldAmounts(
    manager: EntityManager,
    walletIds: readonly string[],
    now: Date,
  ): Promise<Map<string, number>> {
    const rows = await manager
      .getRepository(WalletHoldEntity)
      .createQueryBuilder('hold')
      .select('hold.walletId', 'walletId')
      .addSelect('COALESCE(SUM(hold.amountMinor), 0)', 'held')
      .where('hold.walletId IN (:...walletIds)', { walletIds })
      .andWhere('hold.status = :status', { status: WalletHoldStatus.ACTIVE })
      .andWhere('hold.expiresAt > :now', { now })
      .groupBy('hold.walletId')
      .getRawMany<{ walletId: string; held: string }>();
    return new Map(rows.map((row) => [row.walletId, Number(row.held)]));
  }

  /** For each journal, who is on the other side of the wallet's posting, in words. */
  private async describeCounterparties(
    accountId: string,
    entryIds: readonly string[],
  ): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    if (entryIds.length === 0) return result;
    const others = (await this.dataSource.query(
      `SELECT posting.journal_entry_id AS entryId, account.kind AS kind, account.owner_id AS ownerId
         FROM ledger_postings posting
         JOIN ledger_accounts account ON account.id = posting.account_id
        WHERE posting.journal_entry_id IN (${entryIds.map(() => '?').join(', ')})
          AND posting.account_id <> ?
        ORDER BY posting.line_number`,
      [...entryIds, accountId],
    )) as { entryId: string; kind: LedgerAccountKind; ownerId: string }[];
    const walletIds = others.filter((row) => row.kind === 'user_wallet').map((row) => row.ownerId);
    const merchantIds = others
      .filter((row) => row.kind === 'merchant_balance')
      .map((row) => row.ownerId);
    const wallets = walletIds.length
      ? await this.wallets.find({ where: { id: In(walletIds) }, relations: { user: true } })
      : [];
    const walletOwner = new Map(
      wallets.map((wallet) => [wallet.id, wallet.user ? wallet.user.name : 'a Payrail user']),
    );
    const merchants = merchantIds.length
      ? await this.merchants.find({ where: { id: In(merchantIds) } })
      : [];
    const merchantName = new Map(merchants.map((merchant) => [merchant.id, merchant.name]));
    for (const row of others) {
      let text: string;
      switch (row.kind) {
        case 'user_wallet':
          text = `Wallet of ${walletOwner.get(row.ownerId) ?? 'a Payrail user'}`;
          break;
        case 'merchant_balance':
          text = `Merchant ${merchantName.get(row.ownerId) ?? row.ownerId}`;
          break;
        case 'suspense':
          text = 'Payrail adjustment';
          break;
        case 'fees':
          text = 'Payrail fees';
          break;
        default:
          text = `${row.kind} ${row.ownerId}`;
      }
      const before = result.get(row.entryId);
      result.set(row.entryId, before ? `${before}, ${text}` : text);
    }
    return result;
  }
}
