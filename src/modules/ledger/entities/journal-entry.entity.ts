import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, CreatedAtColumn } from '../../../database/columns';

/** One balanced journal, immutable once written, sealed into the hash chain by its sequence. */
@Entity({ name: 'journal_entries' })
@Index('uq_journal_entries__kind_reference', ['kind', 'reference'], { unique: true })
@Index('idx_journal_entries__reference', ['reference'])
@Index('idx_journal_entries__created_at_id', ['createdAt', 'id'])
export class JournalEntryEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  /** Position in the hash chain: 1, 2, 3... without gaps. (A plain safe integer, not money.) */
  @Index('uq_journal_entries__sequence', { unique: true })
  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  sequence: number;

  @Column({ type: 'varchar', length: 64 })
  kind: string;

  @Column({ type: 'varchar', length: 200 })
  reference: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  /** The hash of the entry before this one (zeros for the first). */
  @Column({ type: 'char', length: 64 })
  previousHash: string;

  /** sha256(previousHash || canonical entry and postings). */
  @Column({ type: 'char', length: 64 })
  hash: string;

  @CreatedAtColumn()
  createdAt: Date;
}
