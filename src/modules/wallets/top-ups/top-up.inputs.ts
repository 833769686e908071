import { Field, ID, InputType, OmitType } from '@nestjs/graphql';
import { IsInt, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import { CreatePaymentInput } from '../../payments/dto/payments.inputs';

@InputType({
  description:
    'Adds money to one of your wallets through a gateway payment; the wallet is credited when the payment is captured.',
})
export class TopUpWalletInput extends OmitType(
  CreatePaymentInput,
  ['orderId', 'walletId', 'idempotencyKey'] as const,
  InputType,
) {
  @Field(() => ID, { description: 'Your wallet to credit.' })
  @IsUUID()
  walletId: string;

  @Field(() => SafeIntScalar, { description: 'Amount to add, in the wallet’s minor units.' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor: number;

  @Field({
    description:
      'Required. Makes the call safe to retry: the first result is stored and replayed for 24 hours; reusing the key with different input is refused.',
  })
  @IsString()
  @Length(1, 255)
  idempotencyKey: string;
}
