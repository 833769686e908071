// NOTE FOR THE LEDGER ENGINEER: "$COMMON" in your task stands for the rules in /tmp/helper-common.md. Read that file now (DBNAME, NS, test commands, no npm install, no git). Delete this line when you edit the file.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { JournalInput, LedgerPosting, PostedJournal } from './ledger.types';

// PLACEHOLDER: replaced by the ledger implementation.
@Injectable()
export class LedgerService implements LedgerPosting {
  post(_manager: EntityManager, _journal: JournalInput): Promise<PostedJournal> {
    return Promise.reject(new Error('ledger not implemented yet'));
  }
}
