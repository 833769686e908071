import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { RequireScopes, Roles } from '../../common/auth/roles.decorator';
import { forbidden } from '../../common/errors/common.errors';
import { Role } from '../users/role';
import { JournalEntriesArgs, LedgerAccountsArgs } from './dto/ledger.args';
import { LedgerService } from './ledger.service';
import { JournalEntryConnection, toJournalEntryModel } from './models/journal-entry.model';
import {
  LedgerAccount,
  LedgerAccountConnection,
  toLedgerAccountModel,
} from './models/ledger-account.model';
import { LedgerIntegrity } from './models/ledger-integrity.model';
import { MerchantBalance, toMerchantBalanceModel } from './models/merchant-balance.model';

@Resolver(() => LedgerAccount)
export class LedgerResolver {
  constructor(private readonly ledgerService: LedgerService) {}

  @Query(() => LedgerAccountConnection, {
    description: 'Ledger accounts, newest first (staff only).',
  })
  @Roles(Role.ADMIN, Role.SUPPORT)
  async ledgerAccounts(@Args() args: LedgerAccountsArgs): Promise<LedgerAccountConnection> {
    const { first, after, ...filter } = args;
    const page = await this.ledgerService.listAccounts(filter, first ?? 20, after);
    return {
      ...page,
      edges: page.edges.map((edge) => ({
        cursor: edge.cursor,
        node: toLedgerAccountModel(edge.node),
      })),
    };
  }

  @Query(() => LedgerAccount, { description: 'One ledger account (staff only).' })
  @Roles(Role.ADMIN, Role.SUPPORT)
  async ledgerAccount(
    @Args('id', { type: () => ID, description: 'The account’s id.' }, ParseUUIDPipe) id: string,
  ): Promise<LedgerAccount> {
    return toLedgerAccountModel(await this.ledgerService.findAccountOrThrow(id));
  }

  @Query(() => JournalEntryConnection, {
    description: 'Journal entries with their postings, newest first (staff only).',
  })
  @Roles(Role.ADMIN, Role.SUPPORT)
  async journalEntries(@Args() args: JournalEntriesArgs): Promise<JournalEntryConnection> {
    const { first, after, ...filter } = args;
    const page = await this.ledgerService.listJournalEntries(filter, first ?? 20, after);
    return {
      ...page,
      edges: page.edges.map((edge) => ({
        cursor: edge.cursor,
        node: toJournalEntryModel(edge.node.entry, edge.node.postings),
      })),
    };
  }

  @Query(() => LedgerIntegrity, {
    description:
      'Re-checks the whole ledger: hash chain, balanced journals, balances equal to their postings (admins).',
  })
  @Roles(Role.ADMIN)
  async ledgerIntegrity(): Promise<LedgerIntegrity> {
    const report = await this.ledgerService.verify();
    return {
      ...report,
      unbalancedJournals: [...report.unbalancedJournals],
      mismatchedAccounts: [...report.mismatchedAccounts],
    };
  }

  @Query(() => [MerchantBalance], {
    description: 'What the platform owes the caller’s merchant, one balance per currency.',
  })
  @Roles(Role.MERCHANT)
  @RequireScopes('merchant:read')
  async merchantBalances(@CurrentUser() caller: AuthUser): Promise<MerchantBalance[]> {
    if (!caller.merchantId) throw forbidden('You belong to no merchant');
    const accounts = await this.ledgerService.merchantBalances(caller.merchantId);
    return accounts.map(toMerchantBalanceModel);
  }
}
