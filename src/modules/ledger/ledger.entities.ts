import { JournalEntryEntity } from './entities/journal-entry.entity';
import { LedgerAccountEntity } from './entities/ledger-account.entity';
import { LedgerChainHeadEntity } from './entities/ledger-chain-head.entity';
import { LedgerPostingEntity } from './entities/ledger-posting.entity';

/** The ledger's entities, registered in src/database/entities.ts. */
export const LEDGER_ENTITIES = [
  LedgerAccountEntity,
  JournalEntryEntity,
  LedgerPostingEntity,
  LedgerChainHeadEntity,
];
