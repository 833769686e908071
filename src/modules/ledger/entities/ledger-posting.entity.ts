import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn } from '../../../database/columns';
import { JournalEntryEntity } from './journal-entry.entity';
import { LedgerAccountEntity } from './ledger-account.entity';

/** One line of a journal: a signed amount on one account (debit positive). Immutable. */
@Entity({ name: 'ledger_postings' })
@Index('uq_ledger_postings__journal_entry_line', ['journalEntryId', 'lineNumber'], { unique: true })
@Index('idx_ledger_postings__account_id_created_at_id', ['accountId', 'createdAt', 'id'])
export class LedgerPostingEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'char', length: 36 })
  journalEntryId: string;

  @ManyToOne(() => JournalEntryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'journal_entry_id',
    foreignKeyConstraintName: 'fk_ledger_postings__journal_entry_id',
  })
  journalEntry?: JournalEntryEntity;

  /** 1-based position within the journal, in the order the journal listed its postings. */
  @Column({ type: 'smallint' })
  lineNumber: number;

  @Column({ type: 'char', length: 36 })
  accountId: string;

  @ManyToOne(() => LedgerAccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_ledger_postings__account_id' })
  account?: LedgerAccountEntity;

  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  amountMinor: number;

  /** Always the account's currency; kept here so statements need no join. */
  @Column({ type: 'char', length: 3 })
  currency: string;

  @CreatedAtColumn()
  createdAt: Date;
}
