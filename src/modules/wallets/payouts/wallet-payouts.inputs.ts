import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import {
  IsBoolean,
  IsEmail,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { PageArgs } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import { PayoutGateway } from './payout-gateways';
import { WalletPayoutStatus } from './wallet-payout-status';

@InputType({
  description:
    'Withdraws money from one of your wallets to M-Pesa (give `phone`) or PayPal (give `email`).',
})
export class WithdrawFundsInput {
  @Field(() => ID, { description: 'Your wallet to withdraw from.' })
  @IsUUID()
  walletId: string;

  @Field(() => SafeIntScalar, {
    description:
      'Amount in the wallet’s minor units (at least 1). M-Pesa takes whole shillings only (a multiple of 100).',
  })
  @IsInt()
  @Min(1)
  amountMinor: number;

  @Field(() => PayoutGateway, {
    description: 'Where to pay out; it must support the wallet’s currency (M-Pesa: KES).',
  })
  @IsEnum(PayoutGateway)
  gatewayCode: PayoutGateway;

  @Field({
    nullable: true,
    description: 'M-Pesa only: the Kenyan phone number to pay (2547NNNNNNNN, +2547… or 07…).',
  })
  @IsOptional()
  @Matches(/^\+?\d{9,15}$/, { message: 'phone must be 9 to 15 digits, optionally with a +' })
  phone?: string;

  @Field({ nullable: true, description: 'PayPal only: the email of the PayPal account to pay.' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @Field({
    nullable: true,
    description: 'A note sent to the recipient with the payout (up to 280 characters).',
  })
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
export class WalletPayoutsArgs extends PageArgs {
  @Field(() => ID, {
    nullable: true,
    description:
      'Only this wallet’s withdrawals (yours, or any for staff). Without it: your own, or everyone’s for staff.',
  })
  @IsOptional()
  @IsUUID()
  walletId?: string;

  @Field(() => WalletPayoutStatus, {
    nullable: true,
    description: 'Only withdrawals in this status.',
  })
  @IsOptional()
  @IsEnum(WalletPayoutStatus)
  status?: WalletPayoutStatus;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only withdrawals that do (true) or do not (false) need review.',
  })
  @IsOptional()
  @IsBoolean()
  needsReview?: boolean;
}
