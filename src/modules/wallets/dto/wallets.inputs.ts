import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import {
  IsEmail,
  IsEnum,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  Min,
  NotEquals,
} from 'class-validator';
import { PageArgs } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import { WalletAdjustmentStatus } from '../wallet-adjustment-status';
import { WalletHoldStatus } from '../wallet-hold-status';

const CURRENCY = /^[A-Z]{3}$/;
const CURRENCY_MESSAGE = 'currency must be three upper-case letters (ISO 4217)';

@InputType({ description: 'Opens a wallet in a currency (or returns the one already open).' })
export class OpenWalletInput {
  @Field({ description: 'ISO 4217 currency code, e.g. "USD".' })
  @Matches(CURRENCY, { message: CURRENCY_MESSAGE })
  currency: string;
}

@ArgsType()
export class WalletsArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description: 'Staff only: list this user’s wallets instead of your own.',
  })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

@ArgsType()
export class WalletStatementArgs extends PageArgs {
  @Field(() => ID, { description: 'The wallet.' })
  @IsUUID()
  walletId: string;
}

@InputType({
  description:
    'Sends money from one of your wallets to another user, named by email or phone (exactly one).',
})
export class TransferFundsInput {
  @Field(() => ID, { description: 'Your wallet to send from.' })
  @IsUUID()
  fromWalletId: string;

  @Field({ nullable: true, description: 'The recipient’s email address.' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  toEmail?: string;

  @Field({
    nullable: true,
    description: 'The recipient’s phone number, 8 to 15 digits in E.164 (a leading + is ignored).',
  })
  @IsOptional()
  @Matches(/^\+?[1-9]\d{7,14}$/, { message: 'toPhone must be 8 to 15 digits in E.164' })
  toPhone?: string;

  @Field(() => SafeIntScalar, { description: 'Amount to send, in minor units (at least 1).' })
  @IsInt()
  @Min(1)
  amountMinor: number;

  @Field({ description: 'ISO 4217 currency code: must be the sending wallet’s currency.' })
  @Matches(CURRENCY, { message: CURRENCY_MESSAGE })
  currency: string;

  @Field({ nullable: true, description: 'A note for the recipient (up to 280 characters).' })
  @IsOptional()
  @IsString()
  @MaxLength(280)
  note?: string;

  @Field({
    description:
      'Required. Makes the call safe to retry: the first result is stored and replayed for 24 hours; reusing the key with different input is refused.',
  })
  @IsString()
  @Length(1, 255)
  idempotencyKey: string;
}

@ArgsType()
export class WalletHoldsArgs extends PageArgs {
  @Field(() => ID, { description: 'The wallet.' })
  @IsUUID()
  walletId: string;

  @Field(() => WalletHoldStatus, { nullable: true, description: 'Only holds in this status.' })
  @IsOptional()
  @IsEnum(WalletHoldStatus)
  status?: WalletHoldStatus;
}

@InputType({ description: 'Freezes or unfreezes a wallet.' })
export class WalletStatusInput {
  @Field(() => ID, { description: 'The wallet.' })
  @IsUUID()
  walletId: string;

  @Field({ nullable: true, description: 'Why (kept in the audit log).' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

@InputType({ description: 'New transfer limits for a wallet; omitted fields stay as they are.' })
export class SetWalletLimitsInput {
  @Field(() => ID, { description: 'The wallet.' })
  @IsUUID()
  walletId: string;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Most the wallet may send per UTC day, in minor units.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  dailyTransferLimitMinor?: number;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Most a single transfer may send, in minor units.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxTransferMinor?: number;
}

@InputType({ description: 'Proposes a manual credit or debit; a different admin must approve it.' })
export class ProposeWalletAdjustmentInput {
  @Field(() => ID, { description: 'The wallet to adjust.' })
  @IsUUID()
  walletId: string;

  @Field(() => SafeIntScalar, {
    description: 'Signed minor units: positive credits the wallet, negative debits it.',
  })
  @IsInt()
  @NotEquals(0)
  amountMinor: number;

  @Field({ description: 'Why the adjustment is needed (kept with it and in the audit log).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

@InputType({ description: 'Rejects a proposed wallet adjustment.' })
export class RejectWalletAdjustmentInput {
  @Field(() => ID, { description: 'The adjustment.' })
  @IsUUID()
  adjustmentId: string;

  @Field({ nullable: true, description: 'Why it was rejected.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

@ArgsType()
export class WalletAdjustmentsArgs extends PageArgs {
  @Field(() => WalletAdjustmentStatus, {
    nullable: true,
    description: 'Only adjustments in this status.',
  })
  @IsOptional()
  @IsEnum(WalletAdjustmentStatus)
  status?: WalletAdjustmentStatus;

  @Field(() => ID, { nullable: true, description: 'Only adjustments of this wallet.' })
  @IsOptional()
  @IsUUID()
  walletId?: string;
}
