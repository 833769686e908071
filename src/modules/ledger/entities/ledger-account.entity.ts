import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn, UpdatedAtColumn } from '../../../database/columns';
import type { LedgerAccountKind } from '../ledger.types';

/** One account of the books. Its balance changes only with the postings that explain it. */
@Entity({ name: 'ledger_accounts' })
@Index('uq_ledger_accounts__kind_owner_currency', ['kind', 'ownerId', 'currency'], { unique: true })
@Index('idx_ledger_accounts__owner_id', ['ownerId'])
@Index('idx_ledger_accounts__created_at_id', ['createdAt', 'id'])
export class LedgerAccountEntity {
  /** Name-based from (kind, ownerId, currency): see accountIdFor. */
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  kind: LedgerAccountKind;

  @Column({ type: 'varchar', length: 64 })
  ownerId: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** Sum of the account's postings: debits positive, credits negative. */
  @Column({ type: 'bigint', default: 0, transformer: bigintMinorUnits })
  balanceMinor: number;

  /** Whether the balance may go below zero on the account's normal side. */
  @Column({ type: 'boolean' })
  allowNegative: boolean;

  @CreatedAtColumn()
  createdAt: Date;

  @UpdatedAtColumn()
  updatedAt: Date;
}
