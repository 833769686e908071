import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import { PayoutGateway } from './payout-gateways';
import type { WalletPayoutEntity } from './wallet-payout.entity';
import { WalletPayoutStatus } from './wallet-payout-status';

@ObjectType('WalletPayout', {
  description:
    'A withdrawal from a wallet to M-Pesa or PayPal. The amount is held in the wallet until the gateway reports the result.',
})
export class WalletPayout {
  @Field(() => ID, {
    description: 'Stable identifier; also the id the gateway knows the payout by.',
  })
  id: string;

  @Field(() => ID, { description: 'The wallet the money leaves.' })
  walletId: string;

  @Field(() => ID, { description: 'The wallet’s owner, who asked for the withdrawal.' })
  userId: string;

  @Field(() => PayoutGateway, { description: 'Where the money is paid out.' })
  gatewayCode: PayoutGateway;

  @Field(() => SafeIntScalar, { description: 'Amount paid out, in minor units.' })
  amountMinor: number;

  @Field({ description: 'ISO 4217 currency code (the wallet’s).' })
  currency: string;

  @Field({
    description: 'Who is paid: the M-Pesa phone number (12 digits) or the PayPal email address.',
  })
  recipient: string;

  @Field(() => String, { nullable: true, description: 'The note sent with the payout.' })
  note: string | null;

  @Field(() => WalletPayoutStatus, { description: 'Where the withdrawal stands.' })
  status: WalletPayoutStatus;

  @Field(() => ID, { description: 'The wallet hold reserving the amount (reference payout:<id>).' })
  holdId: string;

  @Field(() => String, {
    nullable: true,
    description: 'The gateway’s own id for the payout (PayPal payout batch id; for M-Pesa our id).',
  })
  gatewayReferenceId: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The gateway’s reason code when FAILED (e.g. M-Pesa ResultCode, PayPal error name).',
  })
  failureCode: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it FAILED, or why its outcome is UNKNOWN, in words.',
  })
  failureMessage: string | null;

  @Field(() => Boolean, {
    description:
      'True when a person must look: still open after the last automatic check, or the gateway contradicted a final result.',
  })
  needsReview: boolean;

  @Field(() => String, { nullable: true, description: 'Why it needs review.' })
  reviewReason: string | null;

  @Field(() => Int, { description: 'How many automatic status checks have run.' })
  reconcileAttempts: number;

  @Field(() => Date, {
    nullable: true,
    description: 'When the next automatic status check is due.',
  })
  nextReconcileAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it became SUCCEEDED or FAILED.' })
  settledAt: Date | null;

  @Field({ description: 'When it was requested.' })
  createdAt: Date;

  @Field({ description: 'When it last changed.' })
  updatedAt: Date;
}

@ObjectType('WalletPayoutConnection', { description: 'A page of wallet withdrawals.' })
export class WalletPayoutConnection extends Paginated(WalletPayout, 'WalletPayout') {}

export const toWalletPayoutModel = (entity: WalletPayoutEntity): WalletPayout => ({
  id: entity.id,
  walletId: entity.walletId,
  userId: entity.userId,
  gatewayCode: entity.gatewayCode as PayoutGateway,
  amountMinor: entity.amountMinor,
  currency: entity.currency,
  recipient: entity.recipient,
  note: entity.note,
  status: entity.status,
  holdId: entity.holdId,
  gatewayReferenceId: entity.gatewayReferenceId,
  failureCode: entity.failureCode,
  failureMessage: entity.failureMessage,
  needsReview: entity.needsReview,
  reviewReason: entity.reviewReason,
  reconcileAttempts: entity.reconcileAttempts,
  nextReconcileAt: entity.nextReconcileAt,
  settledAt: entity.settledAt,
  createdAt: entity.createdAt,
  updatedAt: entity.updatedAt,
});
