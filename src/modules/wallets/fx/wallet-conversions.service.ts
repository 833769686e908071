import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, Repository } from 'typeorm';
import type { AuthUser } from '../../../common/auth/auth-user';
import { type Connection, decodeCursor, toConnection } from '../../../common/graphql/pagination';
import { withTransaction } from '../../../database/transaction';
import type { AuditActor } from '../../audit/audit.types';
import { AuditService } from '../../audit/audit.service';
import { isLedgerInsufficientFunds } from '../../ledger/ledger.errors';
import { LedgerService } from '../../ledger/ledger.service';
import type { PostingInput } from '../../ledger/ledger.types';
import { IdempotencyService } from '../../payments/idempotency/idempotency.service';
import type { WalletEntity } from '../entities/wallet.entity';
import { fxAccount, walletAccount, WalletJournalKind } from '../wallet-accounts';
import { WalletError, WalletErrorCode } from '../wallets.errors';
import { WalletsService } from '../wallets.service';
import { WalletConversionEntity } from './entities/wallet-conversion.entity';
import { computeConversion, type ConversionAmounts, formatFxRate, parseFxRate } from './fx-math';
import { FxRatesService } from './fx-rates.service';
import { runWalletCommand } from '../wallet-idempotency';

export interface ConvertRequest {
  readonly fromWalletId: string;
  readonly toWalletId: string;
  readonly amountMinor: number;
  /** The rate the client showed; a different current rate refuses the conversion. */
  readonly expectedRate?: string | null;
  /** The fee the client showed; a different current fee refuses the conversion too. */
  readonly expectedFeeBps?: number | null;
  /** Required: a retry with the same key replays the first outcome instead of converting twice. */
  readonly idempotencyKey: string;
}

/**
 * The journal of one conversion (positive debits). In the source currency the wallet pays the
 * platform's fx position; in the target currency the fx position pays the wallet the net and the
 * fees account the fee. Each currency sums to zero; zero postings are left out.
 */
export function conversionPostings(
  from: Pick<WalletEntity, 'id' | 'currency'>,
  to: Pick<WalletEntity, 'id' | 'currency'>,
  fromAmountMinor: number,
  amounts: ConversionAmounts,
): PostingInput[] {
  const postings: PostingInput[] = [
    // Debiting a credit-normal wallet account takes money out of it.
    { account: walletAccount(from), amountMinor: fromAmountMinor },
    { account: fxAccount(from.currency), amountMinor: -fromAmountMinor },
    { account: fxAccount(to.currency), amountMinor: amounts.grossToMinor },
    { account: walletAccount(to), amountMinor: -amounts.netToMinor },
    {
      account: { kind: 'fees', ownerId: 'platform', currency: to.currency },
      amountMinor: -amounts.feeMinor,
    },
  ];
  return postings.filter((posting) => posting.amountMinor !== 0);
}

/**
 * Conversions between two wallets of the same user at the admin-set rate, less the fee. One short
 * transaction per conversion: read the rate, lock both wallets (id order), check, record, post.
 */
@Injectable()
export class WalletConversionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WalletConversionEntity)
    private readonly conversions: Repository<WalletConversionEntity>,
    private readonly wallets: WalletsService,
    private readonly rates: FxRatesService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
  ) {}

  async convert(
    caller: AuthUser,
    actor: AuditActor,
    input: ConvertRequest,
  ): Promise<WalletConversionEntity> {
    const { idempotencyKey, ...request } = input;
    const conversionId = await runWalletCommand(
      this.idempotency,
      caller,
      idempotencyKey,
      'convertFunds',
      request,
      () => this.convertOnce(caller, actor, request),
    );
    return this.conversions.findOneByOrFail({ id: conversionId });
  }

  /** A wallet's conversions, in or out, newest first (the owner, or staff). */
  async list(
    caller: AuthUser,
    walletId: string,
    first: number,
    after?: string,
  ): Promise<Connection<WalletConversionEntity>> {
    const wallet = await this.wallets.findVisibleOrThrow(caller, walletId);
    // The keyset of findKeysetPage, with the wallet on either side of the conversion.
    const query = this.conversions
      .createQueryBuilder('row')
      .where(
        new Brackets((sides) =>
          sides
            .where('row.fromWalletId = :walletId', { walletId: wallet.id })
            .orWhere('row.toWalletId = :walletId', { walletId: wallet.id }),
        ),
      )
      .orderBy('row.createdAt', 'DESC')
      .addOrderBy('row.id', 'DESC')
      .take(first + 1);
    if (after) {
      query.andWhere(
        '(row.createdAt < :createdAt OR (row.createdAt = :createdAt AND row.id < :id))',
        decodeCursor(after),
      );
    }
    return toConnection(await query.getMany(), first, Boolean(after), (row) => row);
  }

  private async convertOnce(
    caller: AuthUser,
    actor: AuditActor,
    request: Omit<ConvertRequest, 'idempotencyKey'>,
  ): Promise<string> {
    const amount = request.amountMinor;
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      throw new WalletError(
        WalletErrorCode.WALLET_INVALID_INPUT,
        'amountMinor must be a positive integer',
        { fields: { amountMinor: ['must be a positive integer'] } },
      );
    }
    const expected =
      request.expectedRate === undefined || request.expectedRate === null
        ? null
        : parseFxRate(request.expectedRate, 'expectedRate');
    // Only the owner may convert; anyone else's wallet reads as missing.
    const from = await this.wallets.findOwnedOrThrow(caller, request.fromWalletId);
    const to = await this.wallets.findOwnedOrThrow(caller, request.toWalletId);
    if (from.currency === to.currency) {
      throw new WalletError(
        WalletErrorCode.WALLET_FX_SAME_CURRENCY,
        `Both wallets hold ${from.currency}; a conversion is between two currencies`,
        { fields: { toWalletId: ['must hold another currency than fromWalletId'] } },
      );
    }

    try {
      return await withTransaction(this.dataSource, async (manager) => {
        const usable = await this.rates.usableRate(from.currency, to.currency, manager);
        if (expected !== null && expected !== usable.rate) {
          throw new WalletError(
            WalletErrorCode.WALLET_FX_RATE_CHANGED,
            `The ${from.currency}->${to.currency} rate is now ${formatFxRate(usable.rate)}, not ${formatFxRate(expected)}; quote again`,
            { expectedRate: formatFxRate(expected), currentRate: formatFxRate(usable.rate) },
          );
        }
        const feeBps = usable.entity.feeBps;
        const expectedFeeBps = request.expectedFeeBps ?? null;
        if (expectedFeeBps !== null && expectedFeeBps !== feeBps) {
          throw new WalletError(
            WalletErrorCode.WALLET_FX_RATE_CHANGED,
            `The ${from.currency}->${to.currency} fee is now ${feeBps} bps, not ${expectedFeeBps}; quote again`,
            { expectedFeeBps, currentFeeBps: feeBps, currentRate: formatFxRate(usable.rate) },
          );
        }
        const amounts = computeConversion({
          amountMinor: amount,
          fromCurrency: from.currency,
          toCurrency: to.currency,
          rate: usable.rate,
          feeBps,
        });

        const locked = await this.wallets.lockWallets(manager, [from.id, to.id]);
        const source = locked.get(from.id)!;
        const target = locked.get(to.id)!;
        this.wallets.assertActive(source);
        this.wallets.assertActive(target, 'The wallet to convert into');
        await this.wallets.assertAvailable(manager, source, amount);

        const id = randomUUID();
        const rate = formatFxRate(usable.rate);
        // Conversion and audit rows first: the ledger's chain-head lock is taken last.
        await manager.insert(WalletConversionEntity, {
          id,
          userId: caller.userId,
          fromWalletId: source.id,
          toWalletId: target.id,
          fromCurrency: source.currency,
          toCurrency: target.currency,
          fromAmountMinor: amount,
          ...amounts,
          rate,
          feeBps,
        });
        await this.audit.record(manager, {
          actor,
          action: 'wallet.fx.convert',
          objectType: 'wallet_conversion',
          objectId: id,
          merchantId: null,
          details: {
            fromWalletId: source.id,
            toWalletId: target.id,
            fromCurrency: source.currency,
            toCurrency: target.currency,
            fromAmountMinor: amount,
            ...amounts,
            rate,
            feeBps,
          },
        });
        await this.ledger.post(manager, {
          kind: WalletJournalKind.Fx,
          reference: id,
          description: `Currency conversion ${source.currency} to ${target.currency}`,
          postings: conversionPostings(source, target, amount, amounts),
        });
        return id;
      });
    } catch (error) {
      // The ledger is the last word on "never below zero"; say it in wallet terms.
      if (isLedgerInsufficientFunds(error)) {
        throw new WalletError(
          WalletErrorCode.WALLET_INSUFFICIENT_FUNDS,
          'The wallet does not hold enough money for this conversion',
          { walletId: from.id },
        );
      }
      throw error;
    }
  }
}
