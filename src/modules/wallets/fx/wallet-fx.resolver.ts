import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../../common/auth/auth-user';
import { CurrentUser } from '../../../common/auth/current-user.decorator';
import { Roles, SessionOnly } from '../../../common/auth/roles.decorator';
import { AuditActorParam } from '../../audit/audit-actor';
import type { AuditActor } from '../../audit/audit.types';
import { ALL_ROLES, Role, STAFF_ROLES } from '../../users/role';
import { mapConnection } from '../wallets.resolver';
import {
  ConvertFundsInput,
  FxQuoteArgs,
  FxRatesArgs,
  SetFxRateInput,
  WalletConversionsArgs,
} from './dto/fx.inputs';
import type { FxRateEntity } from './entities/fx-rate.entity';
import { normalizeFxRate } from './fx-math';
import { FxRatesService } from './fx-rates.service';
import {
  FxQuote,
  FxRate,
  FxRateConnection,
  toWalletConversionModel,
  WalletConversion,
  WalletConversionConnection,
} from './models/fx.models';
import { WalletConversionsService } from './wallet-conversions.service';

// Conversions move a user's own wallets' money: users with wallets, never an API key.
const OWNERS = [Role.CUSTOMER, Role.MERCHANT];

/** Conversion rates (set by admins, read by anyone signed in), quotes and conversions. */
@Resolver(() => WalletConversion)
export class WalletFxResolver {
  constructor(
    private readonly ratesService: FxRatesService,
    private readonly conversionsService: WalletConversionsService,
  ) {}

  @Mutation(() => FxRate, {
    description:
      'Sets the rate and fee for converting baseCurrency into quoteCurrency (that direction only); restarts its staleness clock (admins).',
  })
  @Roles(Role.ADMIN)
  async setFxRate(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The pair, the rate and the fee.' }) input: SetFxRateInput,
  ): Promise<FxRate> {
    return this.toFxRateModel(caller, await this.ratesService.setRate(input, caller.userId, actor));
  }

  @Query(() => FxRateConnection, {
    description: 'Conversion rates, newest pair first (anyone signed in).',
  })
  @Roles(...ALL_ROLES)
  @SessionOnly()
  async fxRates(
    @CurrentUser() caller: AuthUser,
    @Args() args: FxRatesArgs,
  ): Promise<FxRateConnection> {
    const page = await this.ratesService.list({
      baseCurrency: args.baseCurrency,
      quoteCurrency: args.quoteCurrency,
      first: args.first ?? 20,
      after: args.after,
    });
    return mapConnection(page, (rate) => this.toFxRateModel(caller, rate));
  }

  @Query(() => FxQuote, {
    description:
      'What converting an amount would give at the current rate, after the fee; moves nothing (anyone signed in).',
  })
  @Roles(...ALL_ROLES)
  @SessionOnly()
  async fxQuote(@Args() args: FxQuoteArgs): Promise<FxQuote> {
    return this.ratesService.quote(args.fromCurrency, args.toCurrency, args.amountMinor);
  }

  @Mutation(() => WalletConversion, {
    description:
      'Converts money from one of your wallets into another of yours in a different currency, at the current rate less the fee.',
  })
  @Roles(...OWNERS)
  @SessionOnly()
  async convertFunds(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The two wallets, the amount and an idempotency key.' })
    input: ConvertFundsInput,
  ): Promise<WalletConversion> {
    return toWalletConversionModel(await this.conversionsService.convert(caller, actor, input));
  }

  @Query(() => WalletConversionConnection, {
    description: 'A wallet’s conversions, in or out, newest first (the owner, or staff).',
  })
  @Roles(...ALL_ROLES)
  @SessionOnly()
  async walletConversions(
    @CurrentUser() caller: AuthUser,
    @Args() args: WalletConversionsArgs,
  ): Promise<WalletConversionConnection> {
    const page = await this.conversionsService.list(
      caller,
      args.walletId,
      args.first ?? 20,
      args.after,
    );
    return mapConnection(page, toWalletConversionModel);
  }

  private toFxRateModel(caller: AuthUser, entity: FxRateEntity): FxRate {
    return {
      id: entity.id,
      baseCurrency: entity.baseCurrency,
      quoteCurrency: entity.quoteCurrency,
      rate: normalizeFxRate(entity.rate),
      feeBps: entity.feeBps,
      // Which admin set a rate is staff business.
      setBy: STAFF_ROLES.includes(caller.role) ? entity.setBy : null,
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
      staleAt: this.ratesService.staleAt(entity),
    };
  }
}
