import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintMinorUnits, UpdatedAtColumn } from '../../../database/columns';

/** The single row (id 1) naming the last entry of the hash chain; locked by every append. */
@Entity({ name: 'ledger_chain_head' })
export class LedgerChainHeadEntity {
  @PrimaryColumn({ type: 'tinyint', unsigned: true })
  id: number;

  /** Sequence of the last entry; 0 while the ledger is empty. */
  @Column({ type: 'bigint', transformer: bigintMinorUnits })
  sequence: number;

  /** Hash of the last entry; zeros while the ledger is empty. */
  @Column({ type: 'char', length: 64 })
  hash: string;

  @Column({ type: 'char', length: 36, nullable: true })
  entryId: string | null;

  @UpdatedAtColumn()
  updatedAt: Date;
}
