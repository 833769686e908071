import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../../common/graphql/safe-int.scalar';
import type { WalletConversionEntity } from '../entities/wallet-conversion.entity';
import { normalizeFxRate } from '../fx-math';

@ObjectType('FxRate', {
  description:
    'The rate and fee for converting baseCurrency into quoteCurrency (that direction only).',
})
export class FxRate {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field({ description: 'The currency converted from.' })
  baseCurrency: string;

  @Field({ description: 'The currency converted into.' })
  quoteCurrency: string;

  @Field({
    description: 'Units of quoteCurrency one unit of baseCurrency buys, as a decimal string.',
  })
  rate: string;

  @Field(() => Int, { description: 'The conversion fee, in basis points of the converted amount.' })
  feeBps: number;

  @Field(() => ID, {
    nullable: true,
    description: 'The admin who set the current value (shown to staff only).',
  })
  setBy: string | null;

  @Field({ description: 'When the pair was first given a rate.' })
  createdAt: Date;

  @Field({ description: 'When the current value was set.' })
  updatedAt: Date;

  @Field({
    description:
      'After this time conversions at this rate are refused until an admin sets it again.',
  })
  staleAt: Date;
}

@ObjectType('FxRateConnection', { description: 'A page of conversion rates.' })
export class FxRateConnection extends Paginated(FxRate, 'FxRate') {}

@ObjectType('FxQuote', {
  description: 'What a conversion would give right now. Nothing moves; the rate may change.',
})
export class FxQuote {
  @Field({ description: 'The currency converted from.' })
  fromCurrency: string;

  @Field({ description: 'The currency converted into.' })
  toCurrency: string;

  @Field(() => SafeIntScalar, {
    description: 'The amount converted, in minor units of fromCurrency.',
  })
  fromAmountMinor: number;

  @Field({
    description: 'The rate used; pass it as `expectedRate` to convertFunds to convert only at it.',
  })
  rate: string;

  @Field(() => Int, { description: 'The fee, in basis points of the gross amount.' })
  feeBps: number;

  @Field(() => SafeIntScalar, {
    description: 'The amount at the rate, rounded down, in minor units of toCurrency.',
  })
  grossToMinor: number;

  @Field(() => SafeIntScalar, { description: 'The fee, rounded up, in minor units of toCurrency.' })
  feeMinor: number;

  @Field(() => SafeIntScalar, {
    description: 'What would reach the target wallet (gross − fee), in minor units of toCurrency.',
  })
  netToMinor: number;

  @Field({ description: 'When the rate was set.' })
  rateUpdatedAt: Date;

  @Field({ description: 'After this time the rate is stale and conversions are refused.' })
  rateStaleAt: Date;
}

@ObjectType('WalletConversion', {
  description: 'Money converted from one of a user’s wallets into another in another currency.',
})
export class WalletConversion {
  @Field(() => ID, { description: 'Stable identifier (also the ledger journal’s reference).' })
  id: string;

  @Field(() => ID, { description: 'The owner of both wallets.' })
  userId: string;

  @Field(() => ID, { description: 'The wallet the money left.' })
  fromWalletId: string;

  @Field(() => ID, { description: 'The wallet the money reached.' })
  toWalletId: string;

  @Field({ description: 'The source wallet’s currency.' })
  fromCurrency: string;

  @Field({ description: 'The target wallet’s currency.' })
  toCurrency: string;

  @Field(() => SafeIntScalar, { description: 'What left the source wallet, in its minor units.' })
  fromAmountMinor: number;

  @Field(() => SafeIntScalar, {
    description: 'The amount at the rate, rounded down, in minor units of toCurrency.',
  })
  grossToMinor: number;

  @Field(() => SafeIntScalar, {
    description: 'The platform’s fee, rounded up, in minor units of toCurrency.',
  })
  feeMinor: number;

  @Field(() => SafeIntScalar, {
    description: 'What reached the target wallet (gross − fee), in minor units of toCurrency.',
  })
  netToMinor: number;

  @Field({ description: 'The rate used, as a decimal string.' })
  rate: string;

  @Field(() => Int, { description: 'The fee used, in basis points.' })
  feeBps: number;

  @Field({ description: 'When the money moved.' })
  createdAt: Date;
}

@ObjectType('WalletConversionConnection', { description: 'A page of wallet conversions.' })
export class WalletConversionConnection extends Paginated(WalletConversion, 'WalletConversion') {}

export const toWalletConversionModel = (entity: WalletConversionEntity): WalletConversion => ({
  id: entity.id,
  userId: entity.userId,
  fromWalletId: entity.fromWalletId,
  toWalletId: entity.toWalletId,
  fromCurrency: entity.fromCurrency,
  toCurrency: entity.toCurrency,
  fromAmountMinor: entity.fromAmountMinor,
  grossToMinor: entity.grossToMinor,
  feeMinor: entity.feeMinor,
  netToMinor: entity.netToMinor,
  rate: normalizeFxRate(entity.rate),
  feeBps: entity.feeBps,
  createdAt: entity.createdAt,
});
