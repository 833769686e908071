import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Paginated } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import type { NextAction } from '../../../gateways/payment-gateway';
import type { PaymentAttemptEntity } from '../entities/payment-attempt.entity';
import type { PaymentEntity } from '../entities/payment.entity';
import type { RefundEntity } from '../entities/refund.entity';
import { PaymentAttemptStatus } from '../payment-attempt-status';
import { PaymentStatus } from '../payment-status';
import { RefundStatus } from '../refund-status';
import { CaptureMode, NextActionType, PaymentMethod } from './payment-enums';

registerEnumType(PaymentStatus, {
  name: 'PaymentStatus',
  description: 'Where a payment stands.',
  valuesMap: {
    CREATED: { description: 'Recorded; no gateway has answered yet.' },
    UNDER_REVIEW: { description: 'Held by the risk rules until an admin decides.' },
    REQUIRES_ACTION: { description: 'The customer must act: see nextAction.' },
    PROCESSING: {
      description:
        'The gateway is processing it (e.g. an M-Pesa PIN prompt awaiting the customer).',
    },
    AUTHORIZED: { description: 'Authorized; capture it (manual capture mode).' },
    CAPTURED: { description: 'Money collected.' },
    PARTIALLY_REFUNDED: { description: 'Part of what was captured has been refunded.' },
    REFUNDED: { description: 'Everything captured has been refunded.' },
    FAILED: { description: 'Declined, blocked or failed; see failureCode.' },
    CANCELLED: { description: 'Cancelled before capture.' },
    UNKNOWN: {
      description: 'A gateway call may or may not have taken effect; reconciliation will tell.',
    },
  },
});

registerEnumType(PaymentAttemptStatus, {
  name: 'PaymentAttemptStatus',
  description: 'Where one gateway try stands.',
  valuesMap: {
    STARTED: { description: 'The gateway call is under way.' },
    REQUIRES_ACTION: { description: 'Waiting for the customer.' },
    PROCESSING: { description: 'The gateway is processing it.' },
    AUTHORIZED: { description: 'Authorized at the gateway.' },
    CAPTURED: { description: 'Captured at the gateway.' },
    DECLINED: { description: 'The gateway declined it.' },
    ERRORED: {
      description:
        'The gateway could not be used (down or refused the request); nothing was charged.',
    },
    CANCELLED: { description: 'Cancelled or voided.' },
    UNKNOWN: { description: 'The gateway call timed out after sending.' },
  },
});

registerEnumType(RefundStatus, {
  name: 'RefundStatus',
  description: 'Where a refund stands.',
  valuesMap: {
    PENDING: { description: 'Sent; the gateway has not confirmed it yet.' },
    SUCCEEDED: { description: 'The money went back.' },
    FAILED: { description: 'The gateway refused or failed it; the amount is refundable again.' },
    UNKNOWN: { description: 'The gateway call timed out; reconciliation will tell.' },
  },
});

@ObjectType('FormField', { description: 'One field of a form the browser must post.' })
export class FormField {
  @Field({ description: 'Field name.' })
  name: string;

  @Field({ description: 'Field value.' })
  value: string;
}

@ObjectType('PaymentNextAction', {
  description: 'What the customer must do next to complete the payment.',
})
export class PaymentNextAction {
  @Field(() => NextActionType, { description: 'Kind of action.' })
  type: NextActionType;

  @Field(() => String, {
    nullable: true,
    description: 'Where to send the browser (redirect, approval, 3DS, form target).',
  })
  url: string | null;

  @Field(() => [FormField], {
    nullable: true,
    description: 'For FORM_POST: the fields to post to url.',
  })
  formFields: FormField[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'For STK_PUSH: the phone the prompt was sent to.',
  })
  phone: string | null;

  @Field(() => String, { nullable: true, description: 'A message for the customer.' })
  message: string | null;
}

@ObjectType('PaymentAttempt', { description: 'One try of a payment at one gateway.' })
export class PaymentAttempt {
  @Field(() => ID, { description: 'Stable identifier (also our reference at the gateway).' })
  id: string;

  @Field({ description: 'The gateway tried.' })
  gatewayCode: string;

  @Field(() => PaymentAttemptStatus, { description: 'Status of this try.' })
  status: PaymentAttemptStatus;

  @Field({ description: 'Why this gateway was chosen (routing rule, fallback, failover).' })
  routeReason: string;

  @Field(() => String, { nullable: true, description: 'The gateway’s transaction id.' })
  gatewayReference: string | null;

  @Field(() => String, { nullable: true, description: 'The gateway’s decline or error code.' })
  declineCode: string | null;

  @Field(() => String, { nullable: true, description: 'The gateway’s message.' })
  message: string | null;

  @Field({ description: 'When the try started.' })
  createdAt: Date;
}

@ObjectType('Refund', { description: 'Money returned on a captured payment.' })
export class Refund {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field(() => ID, { description: 'The refunded payment.' })
  paymentId: string;

  @Field(() => SafeIntScalar, { description: 'Amount in minor units.' })
  amountMinor: number;

  @Field({ description: 'ISO 4217 currency code.' })
  currency: string;

  @Field(() => RefundStatus, { description: 'Current status.' })
  status: RefundStatus;

  @Field(() => String, { nullable: true, description: 'Why it was refunded.' })
  reason: string | null;

  @Field(() => String, { nullable: true, description: 'The gateway’s refund id.' })
  gatewayReference: string | null;

  @Field(() => String, { nullable: true, description: 'Why it failed.' })
  failureCode: string | null;

  @Field(() => String, { nullable: true, description: 'Failure details.' })
  failureMessage: string | null;

  @Field({ description: 'When it was requested.' })
  createdAt: Date;

  @Field({ description: 'When it last changed.' })
  updatedAt: Date;
}

@ObjectType('Payment', { description: 'The collection of one order’s amount through a gateway.' })
export class Payment {
  @Field(() => ID, { description: 'Stable identifier.' })
  id: string;

  @Field(() => ID, { description: 'The order paid.' })
  orderId: string;

  @Field(() => ID, { description: 'The merchant paid.' })
  merchantId: string;

  @Field(() => ID, { nullable: true, description: 'The customer paying, when known.' })
  customerId: string | null;

  @Field(() => PaymentStatus, { description: 'Current status.' })
  status: PaymentStatus;

  @Field(() => SafeIntScalar, { description: 'Amount to collect, minor units.' })
  amountMinor: number;

  @Field({ description: 'ISO 4217 currency code.' })
  currency: string;

  @Field(() => CaptureMode, { description: 'Capture at once, or authorize and capture later.' })
  captureMode: CaptureMode;

  @Field(() => PaymentMethod, { description: 'How the customer pays.' })
  paymentMethod: PaymentMethod;

  @Field(() => String, { nullable: true, description: 'The gateway of the current attempt.' })
  gatewayCode: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'WALLET_BALANCE payments: the wallet the money comes from.',
  })
  payerWalletId: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Wallet top-ups: the wallet credited when the payment is captured.',
  })
  topUpWalletId: string | null;

  @Field(() => SafeIntScalar, { description: 'Authorized so far, minor units.' })
  authorizedMinor: number;

  @Field(() => SafeIntScalar, { description: 'Captured so far, minor units.' })
  capturedMinor: number;

  @Field(() => SafeIntScalar, { description: 'Refunded so far, minor units.' })
  refundedMinor: number;

  @Field(() => PaymentNextAction, {
    nullable: true,
    description: 'What the customer must do now (REQUIRES_ACTION).',
  })
  nextAction: PaymentNextAction | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it failed (gateway decline code, RISK_BLOCKED…).',
  })
  failureCode: string | null;

  @Field(() => String, { nullable: true, description: 'Failure details for developers.' })
  failureMessage: string | null;

  @Field({
    description:
      'True when a person must look (reconciliation gave up, or the gateway contradicted us).',
  })
  needsReview: boolean;

  @Field(() => String, { nullable: true, description: 'Why it needs review.' })
  reviewReason: string | null;

  @Field({ description: 'When it was created.' })
  createdAt: Date;

  @Field({ description: 'When it last changed.' })
  updatedAt: Date;
}

@ObjectType('PaymentConnection', { description: 'A page of payments.' })
export class PaymentConnection extends Paginated(Payment, 'Payment') {}

const NEXT_ACTION_TYPES: Record<NextAction['type'], NextActionType> = {
  redirect: NextActionType.REDIRECT,
  form_post: NextActionType.FORM_POST,
  stk_push: NextActionType.STK_PUSH,
  approval: NextActionType.APPROVAL,
  three_ds: NextActionType.THREE_DS,
};

export function toNextActionModel(action: NextAction | null): PaymentNextAction | null {
  if (!action) return null;
  return {
    type: NEXT_ACTION_TYPES[action.type],
    url: 'url' in action ? action.url : null,
    formFields:
      action.type === 'form_post'
        ? Object.entries(action.fields).map(([name, value]) => ({ name, value }))
        : null,
    phone: action.type === 'stk_push' ? action.phone : null,
    message: action.type === 'stk_push' ? action.message : null,
  };
}

export const toPaymentModel = (payment: PaymentEntity): Payment => ({
  id: payment.id,
  orderId: payment.orderId,
  merchantId: payment.merchantId,
  customerId: payment.customerId,
  status: payment.status,
  amountMinor: payment.amountMinor,
  currency: payment.currency,
  captureMode: payment.captureMode === 'manual' ? CaptureMode.MANUAL : CaptureMode.AUTOMATIC,
  paymentMethod: payment.paymentMethod.toUpperCase() as PaymentMethod,
  gatewayCode: payment.gatewayCode,
  payerWalletId: payment.payerWalletId ?? null,
  topUpWalletId: payment.topUpWalletId ?? null,
  authorizedMinor: payment.authorizedMinor,
  capturedMinor: payment.capturedMinor,
  refundedMinor: payment.refundedMinor,
  nextAction: toNextActionModel(payment.nextAction),
  failureCode: payment.failureCode,
  failureMessage: payment.failureMessage,
  needsReview: payment.needsReview,
  reviewReason: payment.reviewReason,
  createdAt: payment.createdAt,
  updatedAt: payment.updatedAt,
});

export const toPaymentAttemptModel = (attempt: PaymentAttemptEntity): PaymentAttempt => ({
  id: attempt.id,
  gatewayCode: attempt.gatewayCode,
  status: attempt.status,
  routeReason: attempt.routeReason,
  gatewayReference: attempt.gatewayReferenceId,
  declineCode: attempt.declineCode,
  message: attempt.message,
  createdAt: attempt.createdAt,
});

export const toRefundModel = (refund: RefundEntity): Refund => ({
  id: refund.id,
  paymentId: refund.paymentId,
  amountMinor: refund.amountMinor,
  currency: refund.currency,
  status: refund.status,
  reason: refund.reason,
  gatewayReference: refund.gatewayReferenceId,
  failureCode: refund.failureCode,
  failureMessage: refund.failureMessage,
  createdAt: refund.createdAt,
  updatedAt: refund.updatedAt,
});
