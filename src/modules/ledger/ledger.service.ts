import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, MoreThan, type EntityManager, Repository } from 'typeorm';
import { decodeCursor, toConnection, type Connection } from '../../common/graphql/pagination';
import { findKeysetPage } from '../../database/keyset-page';
import { JournalEntryEntity } from './entities/journal-entry.entity';
import { LedgerAccountEntity } from './entities/ledger-account.entity';
import { LedgerChainHeadEntity } from './entities/ledger-chain-head.entity';
import { LedgerPostingEntity } from './entities/ledger-posting.entity';
import { accountIdFor, DEFAULT_ALLOW_NEGATIVE, normalBalance } from './ledger-accounts';
import { entryHash, GENESIS_HASH, type HashedPosting } from './ledger-hash';
import { imbalanceByCurrency, validateJournal } from './ledger-validation';
import { LedgerError, LedgerErrorCode } from './ledger.errors';
import type {
  AccountRef,
  JournalInput,
  LedgerAccountKind,
  LedgerIntegrityReport,
  LedgerPosting,
  PostedJournal,
} from './ledger.types';

export interface LedgerAccountFilter {
  kind?: LedgerAccountKind;
  ownerId?: string;
  currency?: string;
}

export interface JournalEntryFilter {
  accountId?: string;
  kind?: string;
  reference?: string;
}

/** An entry with its postings, each posting carrying its account. */
export interface JournalEntryWithPostings {
  entry: JournalEntryEntity;
  postings: LedgerPostingEntity[];
}

const CHAIN_HEAD_ID = 1;
const VERIFY_BATCH = 500;
const REPORT_LIMIT = 100;

function isDuplicateKey(error: unknown): boolean {
  const candidate = error as { code?: string; errno?: number; driverError?: { errno?: number } };
  return (
    candidate?.code === 'ER_DUP_ENTRY' ||
    candidate?.errno === 1062 ||
    candidate?.driverError?.errno === 1062
  );
}

const describeAccount = (account: LedgerAccountEntity): string =>
  `${account.kind}/${account.ownerId}/${account.currency}`;

/**
 * The double-entry books. Journals are posted inside the caller's transaction; accounts are
 * created on first use. Entries and postings are only ever inserted: there is no update or
 * delete path, and a hash chain makes any later edit visible to `verify()`.
 */
@Injectable()
export class LedgerService implements LedgerPosting {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(LedgerAccountEntity)
    private readonly accounts: Repository<LedgerAccountEntity>,
    @InjectRepository(JournalEntryEntity)
    private readonly entries: Repository<JournalEntryEntity>,
    @InjectRepository(LedgerPostingEntity)
    private readonly postings: Repository<LedgerPostingEntity>,
  ) {}

  /**
   * Posts a balanced journal in the caller's transaction. Idempotent on (kind, reference): a
   * journal already posted, by this call or a concurrent one, returns created false and changes
   * nothing. Locks, in this order: the touched accounts by id, then the chain head.
   */
  async post(manager: EntityManager, journal: JournalInput): Promise<PostedJournal> {
    // Outside a transaction the row locks would end with each statement and a failure halfway
    // would leave half a journal: refuse rather than post unsafely.
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('LedgerService.post must run inside the caller’s transaction');
    }
    const valid = validateJournal(journal);
    const posted = await this.findEntryId(manager, valid.kind, valid.reference);
    if (posted) return { entryId: posted, created: false };

    const accounts = await this.lockAccounts(
      manager,
      valid.postings.map((posting) => posting.account),
    );
    const head = await this.lockChainHead(manager);
    // A concurrent post of the same journal may have committed while we waited for the locks.
    const raced = await this.findEntryId(manager, valid.kind, valid.reference);
    if (raced) return { entryId: raced, created: false };

    const lines: HashedPosting[] = valid.postings.map((posting, index) => ({
      lineNumber: index + 1,
      accountId: accountIdFor(posting.account),
      currency: posting.account.currency,
      amountMinor: posting.amountMinor,
    }));
    const deltas = new Map<string, bigint>();
    for (const line of lines) {
      deltas.set(line.accountId, (deltas.get(line.accountId) ?? 0n) + BigInt(line.amountMinor));
    }
    for (const [accountId, delta] of deltas) {
      this.checkBalanceChange(accounts.get(accountId)!, delta);
    }

    const entry = {
      id: randomUUID(),
      sequence: head.sequence + 1,
      kind: valid.kind,
      reference: valid.reference,
      description: valid.description,
      createdAt: new Date(),
    };
    const hash = entryHash(head.hash, { ...entry, postings: lines });
    try {
      await manager
        .createQueryBuilder()
        .insert()
        .into(JournalEntryEntity)
        .values({ ...entry, previousHash: head.hash, hash })
        .updateEntity(false)
        .execute();
    } catch (error) {
      // Only reachable when the caller's snapshot hid a committed twin (REPEATABLE READ callers):
      // the failed statement is undone on its own, and nothing else was written yet.
      if (isDuplicateKey(error)) {
        const twin = await this.findEntryId(manager, valid.kind, valid.reference, true);
        if (twin) return { entryId: twin, created: false };
      }
      throw error;
    }
    await manager
      .createQueryBuilder()
      .insert()
      .into(LedgerPostingEntity)
      .values(
        lines.map((line) => ({
          ...line,
          id: randomUUID(),
          journalEntryId: entry.id,
          createdAt: entry.createdAt,
        })),
      )
      .updateEntity(false)
      .execute();
    for (const [accountId, delta] of deltas) {
      if (delta === 0n) continue;
      await manager.query(
        'UPDATE ledger_accounts SET balance_minor = balance_minor + ? WHERE id = ?',
        [delta.toString(), accountId],
      );
    }
    await manager.update(
      LedgerChainHeadEntity,
      { id: CHAIN_HEAD_ID },
      { sequence: entry.sequence, hash, entryId: entry.id },
    );
    return { entryId: entry.id, created: true };
  }

  /** The balance on the account's normal side (0 for an account never used). */
  async balanceOf(
    account: AccountRef,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const row = await manager.findOneBy(LedgerAccountEntity, { id: accountIdFor(account) });
    return row ? normalBalance(row.kind, row.balanceMinor) : 0;
  }

  async findAccountOrThrow(id: string): Promise<LedgerAccountEntity> {
    const account = await this.accounts.findOneBy({ id });
    if (!account) {
      throw new LedgerError(LedgerErrorCode.LEDGER_ACCOUNT_NOT_FOUND, 'No such ledger account');
    }
    return account;
  }

  listAccounts(
    filter: LedgerAccountFilter,
    first: number,
    after?: string,
  ): Promise<Connection<LedgerAccountEntity>> {
    const where = Object.fromEntries(
      Object.entries(filter).filter(([, value]) => value !== undefined),
    );
    return findKeysetPage(this.accounts, where, first, after);
  }

  /** A merchant's balances, one account per currency. */
  merchantBalances(merchantId: string): Promise<LedgerAccountEntity[]> {
    return this.accounts.find({
      where: { kind: 'merchant_balance', ownerId: merchantId },
      order: { currency: 'ASC' },
    });
  }

  /** Entries, newest first, with their postings and accounts. */
  async listJournalEntries(
    filter: JournalEntryFilter,
    first: number,
    after?: string,
  ): Promise<Connection<JournalEntryWithPostings>> {
    const query = this.entries
      .createQueryBuilder('entry')
      .orderBy('entry.createdAt', 'DESC')
      .addOrderBy('entry.id', 'DESC')
      .take(first + 1);
    if (filter.kind !== undefined) query.andWhere('entry.kind = :kind', { kind: filter.kind });
    if (filter.reference !== undefined) {
      query.andWhere('entry.reference = :reference', { reference: filter.reference });
    }
    if (filter.accountId !== undefined) {
      query.andWhere(
        'EXISTS (SELECT 1 FROM ledger_postings posting WHERE posting.journal_entry_id = entry.id AND posting.account_id = :accountId)',
        { accountId: filter.accountId },
      );
    }
    if (after) {
      query.andWhere(
        '(entry.createdAt < :createdAt OR (entry.createdAt = :createdAt AND entry.id < :id))',
        decodeCursor(after),
      );
    }
    const rows = await query.getMany();
    const postings = await this.postingsOf(rows.slice(0, first).map((row) => row.id));
    return toConnection(rows, first, Boolean(after), (entry) => ({
      entry,
      postings: postings.get(entry.id) ?? [],
    }));
  }

  /**
   * Re-checks the whole ledger from one consistent snapshot: every hash and link of the chain in
   * sequence order, that every journal sums to zero per currency, and that every account's
   * balance equals the sum of its postings.
   */
  verify(): Promise<LedgerIntegrityReport> {
    // REPEATABLE READ, read-only: one snapshot, so journals posted meanwhile cannot look like damage.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const chain = await this.verifyChain(manager);
      const accounts = await this.verifyAccounts(manager);
      return {
        ok:
          chain.brokenChainAt === null &&
          chain.unbalancedJournals.length === 0 &&
          accounts.mismatchedAccounts.length === 0,
        ...chain,
        ...accounts,
      };
    });
  }

  private async findEntryId(
    manager: EntityManager,
    kind: string,
    reference: string,
    locking = false,
  ): Promise<string | undefined> {
    const query = manager
      .getRepository(JournalEntryEntity)
      .createQueryBuilder('entry')
      .select('entry.id', 'id')
      .where('entry.kind = :kind AND entry.reference = :reference', { kind, reference });
    // A locking read sees the latest committed row even under a REPEATABLE READ snapshot.
    if (locking) query.setLock('pessimistic_read');
    const row = await query.getRawOne<{ id: string }>();
    return row?.id;
  }

  /**
   * Creates missing accounts and locks every touched account in one statement, rows in id order.
   * Ids are known up front (name-based), so concurrent journals queue on their first shared
   * account instead of deadlocking. INSERT ... ON DUPLICATE KEY UPDATE takes an exclusive lock on
   * an existing row; INSERT IGNORE would take a shared one, and two posters upgrading shared locks
   * on the same row deadlock.
   */
  private async lockAccounts(
    manager: EntityManager,
    refs: readonly AccountRef[],
  ): Promise<Map<string, LedgerAccountEntity>> {
    const byId = new Map(refs.map((ref) => [accountIdFor(ref), ref]));
    const ids = [...byId.keys()].sort();
    const values = ids.flatMap((id) => {
      const ref = byId.get(id)!;
      return [id, ref.kind, ref.ownerId, ref.currency, DEFAULT_ALLOW_NEGATIVE[ref.kind]];
    });
    await manager.query(
      `INSERT INTO ledger_accounts (id, kind, owner_id, currency, allow_negative)
       VALUES ${ids.map(() => '(?, ?, ?, ?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE id = id`,
      values,
    );
    const rows = await manager
      .getRepository(LedgerAccountEntity)
      .createQueryBuilder('account')
      .where('account.id IN (:...ids)', { ids })
      .orderBy('account.id', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
    const accounts = new Map(rows.map((row) => [row.id, row]));
    for (const [id, ref] of byId) {
      const row = accounts.get(id);
      if (
        !row ||
        row.kind !== ref.kind ||
        row.ownerId !== ref.ownerId ||
        row.currency !== ref.currency
      ) {
        throw new Error(`Ledger account ${id} does not match ${JSON.stringify(ref)}`);
      }
    }
    return accounts;
  }

  /** Taken after the account locks, so every poster takes its locks in the same order. */
  private async lockChainHead(manager: EntityManager): Promise<LedgerChainHeadEntity> {
    await manager.query(
      'INSERT INTO ledger_chain_head (id, sequence, hash) VALUES (?, 0, ?) ON DUPLICATE KEY UPDATE id = id',
      [CHAIN_HEAD_ID, GENESIS_HASH],
    );
    return manager
      .getRepository(LedgerChainHeadEntity)
      .createQueryBuilder('head')
      .where('head.id = :id', { id: CHAIN_HEAD_ID })
      .setLock('pessimistic_write')
      .getOneOrFail();
  }

  private checkBalanceChange(account: LedgerAccountEntity, delta: bigint): void {
    const next = BigInt(account.balanceMinor) + delta;
    if (next > BigInt(Number.MAX_SAFE_INTEGER) || next < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new LedgerError(
        LedgerErrorCode.LEDGER_BALANCE_OUT_OF_RANGE,
        `The balance of ${describeAccount(account)} would leave the safe integer range`,
        { accountId: account.id },
      );
    }
    const before = normalBalance(account.kind, account.balanceMinor);
    const after = normalBalance(account.kind, Number(next));
    if (!account.allowNegative && after < 0 && after < before) {
      throw new LedgerError(
        LedgerErrorCode.LEDGER_INSUFFICIENT_FUNDS,
        `${describeAccount(account)} holds ${before} and cannot go below zero; ` +
          `this journal would take it to ${after} (minor units)`,
        { accountId: account.id, currency: account.currency, balanceMinor: before },
      );
    }
  }

  private async postingsOf(entryIds: string[]): Promise<Map<string, LedgerPostingEntity[]>> {
    const grouped = new Map<string, LedgerPostingEntity[]>();
    if (entryIds.length === 0) return grouped;
    const rows = await this.postings.find({
      where: { journalEntryId: In(entryIds) },
      relations: { account: true },
      order: { lineNumber: 'ASC' },
    });
    for (const row of rows) {
      grouped.set(row.journalEntryId, [...(grouped.get(row.journalEntryId) ?? []), row]);
    }
    return grouped;
  }

  private async verifyChain(manager: EntityManager) {
    let previousHash = GENESIS_HASH;
    let lastSequence = 0;
    let lastEntryId: string | null = null;
    let journalsChecked = 0;
    let brokenChainAt: string | null = null;
    const unbalancedJournals: string[] = [];
    for (;;) {
      const batch = await manager.find(JournalEntryEntity, {
        where: { sequence: MoreThan(lastSequence) },
        order: { sequence: 'ASC' },
        take: VERIFY_BATCH,
      });
      if (batch.length === 0) break;
      const postings = await manager.find(LedgerPostingEntity, {
        where: { journalEntryId: In(batch.map((entry) => entry.id)) },
      });
      const byEntry = new Map<string, LedgerPostingEntity[]>();
      for (const posting of postings) {
        byEntry.set(posting.journalEntryId, [
          ...(byEntry.get(posting.journalEntryId) ?? []),
          posting,
        ]);
      }
      for (const entry of batch) {
        const lines = byEntry.get(entry.id) ?? [];
        journalsChecked++;
        const intact =
          entry.sequence === lastSequence + 1 &&
          entry.previousHash === previousHash &&
          entry.hash === entryHash(previousHash, { ...entry, postings: lines });
        if (!intact && brokenChainAt === null) brokenChainAt = entry.id;
        const unbalanced = lines.length < 2 || imbalanceByCurrency(lines).size > 0;
        if (unbalanced && unbalancedJournals.length < REPORT_LIMIT)
          unbalancedJournals.push(entry.id);
        // Carry on from the stored hash, so one damaged entry is reported once, not all after it.
        previousHash = entry.hash;
        lastSequence = entry.sequence;
        lastEntryId = entry.id;
      }
    }
    const head = await manager.findOneBy(LedgerChainHeadEntity, { id: CHAIN_HEAD_ID });
    const headMatches = head
      ? head.sequence === lastSequence && head.hash === previousHash && head.entryId === lastEntryId
      : lastSequence === 0;
    // Entries removed from the end leave the head pointing past the last one.
    if (!headMatches && brokenChainAt === null) brokenChainAt = head?.entryId ?? lastEntryId;
    return {
      journalsChecked,
      chainHeadHash: head?.entryId ? head.hash : null,
      brokenChainAt,
      unbalancedJournals,
    };
  }

  private async verifyAccounts(manager: EntityManager) {
    let accountsChecked = 0;
    let lastId = '';
    const mismatchedAccounts: string[] = [];
    for (;;) {
      const rows = (await manager.query(
        `SELECT account.id, account.kind, account.owner_id AS ownerId, account.currency,
                account.balance_minor AS balance, COALESCE(SUM(posting.amount_minor), 0) AS posted,
                COALESCE(SUM(posting.currency <> account.currency), 0) AS foreignPostings
           FROM ledger_accounts account
           LEFT JOIN ledger_postings posting ON posting.account_id = account.id
          WHERE account.id > ?
          GROUP BY account.id
          ORDER BY account.id
          LIMIT ${VERIFY_BATCH}`,
        [lastId],
      )) as Array<{
        id: string;
        kind: LedgerAccountKind;
        ownerId: string;
        currency: string;
        balance: string;
        posted: string;
        foreignPostings: string | number;
      }>;
      if (rows.length === 0) break;
      for (const row of rows) {
        accountsChecked++;
        const consistent =
          BigInt(row.balance) === BigInt(row.posted) &&
          Number(row.foreignPostings) === 0 &&
          row.id === accountIdFor(row);
        if (!consistent && mismatchedAccounts.length < REPORT_LIMIT)
          mismatchedAccounts.push(row.id);
      }
      lastId = rows[rows.length - 1].id;
    }
    return { accountsChecked, mismatchedAccounts };
  }
}
