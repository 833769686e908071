import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageArgs } from '../../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../../common/graphql/safe-int.scalar';
import { FX_MAX_FEE_BPS } from '../fx-math';

const CURRENCY = /^[A-Z]{3}$/;
const CURRENCY_MESSAGE = 'must be three upper-case letters (ISO 4217)';
// Shape only; the service parses the number itself (at most 12 decimals, above zero).
const RATE_MAX_LENGTH = 40;

@InputType({
  description:
    'Sets the rate and fee for converting one currency into another (that direction only).',
})
export class SetFxRateInput {
  @Field({ description: 'The currency converted from, ISO 4217, e.g. "USD".' })
  @Matches(CURRENCY, { message: `baseCurrency ${CURRENCY_MESSAGE}` })
  baseCurrency: string;

  @Field({ description: 'The currency converted into, ISO 4217, e.g. "KES".' })
  @Matches(CURRENCY, { message: `quoteCurrency ${CURRENCY_MESSAGE}` })
  quoteCurrency: string;

  @Field({
    description:
      'Units of quoteCurrency one unit of baseCurrency buys, as a decimal string: above zero, at most 12 decimals, e.g. "129.45".',
  })
  @IsString()
  @MaxLength(RATE_MAX_LENGTH)
  rate: string;

  @Field(() => Int, {
    description: `The conversion fee in basis points of the converted amount (0 to ${FX_MAX_FEE_BPS}).`,
  })
  @IsInt()
  @Min(0)
  @Max(FX_MAX_FEE_BPS)
  feeBps: number;
}

@ArgsType()
export class FxRatesArgs extends PageArgs {
  @Field({ nullable: true, description: 'Only rates converting from this currency.' })
  @IsOptional()
  @Matches(CURRENCY, { message: `baseCurrency ${CURRENCY_MESSAGE}` })
  baseCurrency?: string;

  @Field({ nullable: true, description: 'Only rates converting into this currency.' })
  @IsOptional()
  @Matches(CURRENCY, { message: `quoteCurrency ${CURRENCY_MESSAGE}` })
  quoteCurrency?: string;
}

@ArgsType()
export class FxQuoteArgs {
  @Field({ description: 'The currency to convert from, ISO 4217.' })
  @Matches(CURRENCY, { message: `fromCurrency ${CURRENCY_MESSAGE}` })
  fromCurrency: string;

  @Field({ description: 'The currency to convert into, ISO 4217.' })
  @Matches(CURRENCY, { message: `toCurrency ${CURRENCY_MESSAGE}` })
  toCurrency: string;

  @Field(() => SafeIntScalar, {
    description: 'The amount to convert, in minor units of fromCurrency (at least 1).',
  })
  @IsInt()
  @Min(1)
  amountMinor: number;
}

@InputType({
  description: 'Converts money between two of your own wallets in different currencies.',
})
export class ConvertFundsInput {
  @Field(() => ID, { description: 'Your wallet to take the money from.' })
  @IsUUID()
  fromWalletId: string;

  @Field(() => ID, { description: 'Your wallet, in another currency, to put the money in.' })
  @IsUUID()
  toWalletId: string;

  @Field(() => SafeIntScalar, {
    description: 'The amount to take from the source wallet, in its minor units (at least 1).',
  })
  @IsInt()
  @Min(1)
  amountMinor: number;

  @Field({
    nullable: true,
    description:
      'The rate you showed the user (from fxQuote). If the current rate differs, nothing moves and WALLET_FX_RATE_CHANGED is returned.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(RATE_MAX_LENGTH)
  expectedRate?: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'The fee you showed the user (feeBps from fxQuote). If the current fee differs, nothing moves and WALLET_FX_RATE_CHANGED is returned: a changed fee changes what arrives as much as a changed rate.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(FX_MAX_FEE_BPS)
  expectedFeeBps?: number;

  @Field({
    description:
      'Required. Makes the call safe to retry: the first result is stored and replayed for 24 hours; reusing the key with different input is refused.',
  })
  @IsString()
  @Length(1, 255)
  idempotencyKey: string;
}

@ArgsType()
export class WalletConversionsArgs extends PageArgs {
  @Field(() => ID, { description: 'The wallet, on either side of the conversions.' })
  @IsUUID()
  walletId: string;
}
