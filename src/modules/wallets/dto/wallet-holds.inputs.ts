import { Field, ID, InputType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';

@InputType({ description: 'Reserves part of a wallet’s available balance (staff).' })
export class PlaceWalletHoldInput {
  @Field(() => ID, { description: 'The wallet.' })
  @IsUUID()
  walletId: string;

  @Field(() => SafeIntScalar, { description: 'Amount to hold, in minor units.' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor: number;

  @Field(() => SafeIntScalar, {
    description:
      'Seconds until the hold lapses and its money is available again (60 s to 30 days).',
  })
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  expiresInSeconds: number;

  @Field({
    description:
      'Your reference, unique per wallet (stored as `staff:<reference>`): placing it again returns the first hold.',
  })
  @IsString()
  @Length(1, 190)
  reference: string;

  @Field({ nullable: true, description: 'Why (kept with the hold and in the audit log).' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  reason?: string;
}

@InputType({
  description:
    'Takes all or part of a staff-placed hold into a merchant’s balance (staff); holds of cards, payouts and payments are settled by those.',
})
export class CaptureWalletHoldInput {
  @Field(() => ID, { description: 'The hold.' })
  @IsUUID()
  holdId: string;

  @Field(() => SafeIntScalar, {
    description: 'Amount to capture, at most the held amount; the rest is released.',
  })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor: number;

  @Field(() => ID, { description: 'The merchant whose balance receives the money.' })
  @IsUUID()
  merchantId: string;
}
