import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, type FindOptionsWhere, Repository } from 'typeorm';
import type { Connection } from '../../../common/graphql/pagination';
import { isCurrencyCode } from '../../../common/money/money';
import { findKeysetPage } from '../../../database/keyset-page';
import { withTransaction } from '../../../database/transaction';
import type { AuditActor } from '../../audit/audit.types';
import { AuditService } from '../../audit/audit.service';
import { walletsConfig } from '../wallets.config';
import { WalletError, WalletErrorCode } from '../wallets.errors';
import { FxRateEntity } from './entities/fx-rate.entity';
import {
  assertFeeBps,
  computeConversion,
  type ConversionAmounts,
  formatFxRate,
  parseFxRate,
} from './fx-math';

export interface SetFxRateRequest {
  readonly baseCurrency: string;
  readonly quoteCurrency: string;
  /** Decimal string, above zero, at most 12 decimals. */
  readonly rate: string;
  readonly feeBps: number;
}

export interface FxRateFilter {
  readonly baseCurrency?: string;
  readonly quoteCurrency?: string;
  readonly first: number;
  readonly after?: string;
}

/** A fresh rate for a direction, parsed: `rate` in units of 10^-12. */
export interface UsableFxRate {
  readonly entity: FxRateEntity;
  readonly rate: bigint;
}

export interface FxQuoteResult extends ConversionAmounts {
  readonly fromCurrency: string;
  readonly toCurrency: string;
  readonly fromAmountMinor: number;
  readonly rate: string;
  readonly feeBps: number;
  readonly rateUpdatedAt: Date;
  readonly rateStaleAt: Date;
}

/** Upper-cases a currency code or refuses it as bad input on the named field. */
export function currencyField(value: string, field: string): string {
  const code = value.toUpperCase();
  if (!isCurrencyCode(code)) {
    throw new WalletError(
      WalletErrorCode.WALLET_INVALID_INPUT,
      `"${value}" is not an ISO 4217 currency code`,
      { fields: { [field]: ['must be three letters'] } },
    );
  }
  return code;
}

/**
 * Admin-set conversion rates, one row per direction of a currency pair. A rate is usable for
 * WALLET_FX_RATE_MAX_AGE_SECONDS after it was set; there is no inversion: USD->KES does not
 * price KES->USD. Each change is audited (`fx_rate.set`) with the value before and after, which
 * is the rate history.
 */
@Injectable()
export class FxRatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(FxRateEntity) private readonly rates: Repository<FxRateEntity>,
    private readonly audit: AuditService,
    @Inject(walletsConfig.KEY) private readonly config: ConfigType<typeof walletsConfig>,
  ) {}

  /** Creates or replaces the rate for base -> quote; `updatedAt` restarts the staleness clock. */
  async setRate(
    request: SetFxRateRequest,
    setBy: string,
    actor: AuditActor,
  ): Promise<FxRateEntity> {
    const baseCurrency = currencyField(request.baseCurrency, 'baseCurrency');
    const quoteCurrency = currencyField(request.quoteCurrency, 'quoteCurrency');
    if (baseCurrency === quoteCurrency) {
      throw new WalletError(
        WalletErrorCode.WALLET_FX_SAME_CURRENCY,
        'A rate converts between two different currencies',
        { fields: { quoteCurrency: ['must differ from baseCurrency'] } },
      );
    }
    const rate = formatFxRate(parseFxRate(request.rate));
    assertFeeBps(request.feeBps);
    const pair = `${baseCurrency}/${quoteCurrency}`;

    return withTransaction(this.dataSource, async (manager) => {
      const before = await manager
        .getRepository(FxRateEntity)
        .createQueryBuilder('rate')
        .where({ baseCurrency, quoteCurrency })
        .setLock('pessimistic_write')
        .getOne();
      // Written from the app's clock (UTC), like the staleness check that reads it. Setting the
      // same value again still moves updated_at, so re-confirming a rate makes it fresh.
      const now = new Date();
      await manager.query(
        `INSERT INTO fx_rates (id, base_currency, quote_currency, rate, fee_bps, set_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE rate = ?, fee_bps = ?, set_by = ?, updated_at = ?`,
        [
          randomUUID(),
          baseCurrency,
          quoteCurrency,
          rate,
          request.feeBps,
          setBy,
          now,
          now,
          rate,
          request.feeBps,
          setBy,
          now,
        ],
      );
      const after = await manager.findOneByOrFail(FxRateEntity, { baseCurrency, quoteCurrency });
      await this.audit.record(manager, {
        actor,
        action: 'fx_rate.set',
        objectType: 'fx_rate',
        objectId: pair,
        merchantId: null,
        details: {
          baseCurrency,
          quoteCurrency,
          before: before
            ? {
                rate: formatFxRate(parseFxRate(before.rate)),
                feeBps: before.feeBps,
                setBy: before.setBy,
                updatedAt: before.updatedAt.toISOString(),
              }
            : null,
          after: { rate, feeBps: request.feeBps },
        },
      });
      return after;
    });
  }

  list(filter: FxRateFilter): Promise<Connection<FxRateEntity>> {
    const where: FindOptionsWhere<FxRateEntity> = {};
    if (filter.baseCurrency)
      where.baseCurrency = currencyField(filter.baseCurrency, 'baseCurrency');
    if (filter.quoteCurrency) {
      where.quoteCurrency = currencyField(filter.quoteCurrency, 'quoteCurrency');
    }
    return findKeysetPage(this.rates, where, filter.first, filter.after);
  }

  /** When this rate stops being usable. */
  staleAt(rate: Pick<FxRateEntity, 'updatedAt'>): Date {
    return new Date(rate.updatedAt.getTime() + this.config.fxRateMaxAgeSeconds * 1000);
  }

  /**
   * The rate for from -> to, refused when there is none (WALLET_FX_RATE_NOT_FOUND) or it was set
   * longer ago than the maximum age (WALLET_FX_RATE_STALE). Reads without locking: a conversion
   * uses the value committed when it reads it, and records it.
   */
  async usableRate(
    fromCurrency: string,
    toCurrency: string,
    manager: EntityManager = this.dataSource.manager,
    now = new Date(),
  ): Promise<UsableFxRate> {
    const entity = await manager.findOneBy(FxRateEntity, {
      baseCurrency: fromCurrency,
      quoteCurrency: toCurrency,
    });
    if (!entity) {
      throw new WalletError(
        WalletErrorCode.WALLET_FX_RATE_NOT_FOUND,
        `No rate is set for converting ${fromCurrency} into ${toCurrency}`,
        { fromCurrency, toCurrency },
      );
    }
    const staleAt = this.staleAt(entity);
    if (now.getTime() > staleAt.getTime()) {
      throw new WalletError(
        WalletErrorCode.WALLET_FX_RATE_STALE,
        `The ${fromCurrency}->${toCurrency} rate was set at ${entity.updatedAt.toISOString()} and is too old to use`,
        {
          fromCurrency,
          toCurrency,
          rateUpdatedAt: entity.updatedAt.toISOString(),
          maxAgeSeconds: this.config.fxRateMaxAgeSeconds,
        },
      );
    }
    return { entity, rate: parseFxRate(entity.rate) };
  }

  /** What converting the amount would give now; moves nothing. */
  async quote(
    fromCurrency: string,
    toCurrency: string,
    amountMinor: number,
  ): Promise<FxQuoteResult> {
    const from = currencyField(fromCurrency, 'fromCurrency');
    const to = currencyField(toCurrency, 'toCurrency');
    if (from === to) {
      throw new WalletError(
        WalletErrorCode.WALLET_FX_SAME_CURRENCY,
        'A conversion is between two different currencies',
        { fields: { toCurrency: ['must differ from fromCurrency'] } },
      );
    }
    const usable = await this.usableRate(from, to);
    const amounts = computeConversion({
      amountMinor,
      fromCurrency: from,
      toCurrency: to,
      rate: usable.rate,
      feeBps: usable.entity.feeBps,
    });
    return {
      fromCurrency: from,
      toCurrency: to,
      fromAmountMinor: amountMinor,
      rate: formatFxRate(usable.rate),
      feeBps: usable.entity.feeBps,
      ...amounts,
      rateUpdatedAt: usable.entity.updatedAt,
      rateStaleAt: this.staleAt(usable.entity),
    };
  }
}
