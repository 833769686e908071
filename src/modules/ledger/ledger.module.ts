// NOTE FOR THE LEDGER ENGINEER: "$COMMON" in your task stands for the rules in /tmp/helper-common.md. Read that file now (DBNAME, NS, test commands, no npm install, no git). Delete this line when you edit the file.
import { Module } from '@nestjs/common';
import { LedgerService } from './ledger.service';

@Module({ providers: [LedgerService], exports: [LedgerService] })
export class LedgerModule {}
