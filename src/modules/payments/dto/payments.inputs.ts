import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageArgs } from '../../../common/graphql/pagination';
import { SafeIntScalar } from '../../../common/graphql/safe-int.scalar';
import { GATEWAY_CODES, INTERNAL_GATEWAY_CODES } from '../../../gateways/gateway-codes';
import { PaymentStatus } from '../payment-status';
import { CaptureMode, PaymentMethod } from '../models/payment-enums';
import type { WebhookEventStatus } from '../entities/webhook-event.entity';

const URL_OPTIONS = { require_protocol: true, protocols: ['http', 'https'], require_tld: false };

const IdempotencyKeyField = () =>
  Field({
    nullable: true,
    description:
      'Makes the call safe to retry: the first result is stored and replayed for 24 hours; reusing the key with different input is refused.',
  });

@InputType({ description: 'Customer details a gateway needs (phone for M-Pesa). Never card data.' })
export class PaymentCustomerInput {
  @Field({ nullable: true, description: 'Email for receipts.' })
  @IsOptional()
  @IsEmail()
  email?: string;

  @Field({
    nullable: true,
    description: 'Phone in international format without +, e.g. 254708374149.',
  })
  @IsOptional()
  @Matches(/^\d{9,15}$/, { message: 'phone must be 9 to 15 digits, country code first, no +' })
  phone?: string;

  @Field({ nullable: true, description: 'Name as the gateway should show it.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}

@InputType({ description: 'Starts paying an order.' })
export class CreatePaymentInput {
  @Field(() => ID, { description: 'The order to pay.' })
  @IsUUID()
  orderId: string;

  @Field(() => PaymentMethod, { description: 'How the customer pays.' })
  @IsEnum(PaymentMethod)
  paymentMethod: PaymentMethod;

  @Field(() => CaptureMode, { nullable: true, description: 'Default AUTOMATIC.' })
  @IsOptional()
  @IsEnum(CaptureMode)
  captureMode?: CaptureMode;

  @Field({ nullable: true, description: 'Use only this gateway (otherwise routing decides).' })
  @IsOptional()
  @IsIn(GATEWAY_CODES)
  gatewayCode?: string;

  @Field({
    nullable: true,
    description: 'A gateway payment-method token (e.g. Stripe pm_card_visa). Never a card number.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{3,255}$/, {
    message: 'paymentMethodToken must be a gateway token, not card data',
  })
  paymentMethodToken?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'WALLET_BALANCE only: your wallet to pay from (same currency as the order).',
  })
  @IsOptional()
  @IsUUID()
  walletId?: string;

  @Field(() => PaymentCustomerInput, { nullable: true, description: 'Customer details.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PaymentCustomerInput)
  customer?: PaymentCustomerInput;

  @Field({
    nullable: true,
    description: 'Customer country (ISO 3166-1 alpha-2), for routing rules.',
  })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be two capital letters' })
  country?: string;

  @Field({ description: 'Where the browser returns after a hosted page.' })
  @IsUrl(URL_OPTIONS)
  @MaxLength(500)
  returnUrl: string;

  @Field({
    nullable: true,
    description: 'Where the browser goes if the customer cancels at the gateway.',
  })
  @IsOptional()
  @IsUrl(URL_OPTIONS)
  @MaxLength(500)
  cancelUrl?: string;

  @IdempotencyKeyField()
  @IsOptional()
  @IsString()
  @Length(1, 255)
  idempotencyKey?: string;
}

@InputType({ description: 'Completes or refreshes a payment after the customer acted.' })
export class ConfirmPaymentInput {
  @Field(() => ID, { description: 'The payment.' })
  @IsUUID()
  paymentId: string;

  @IdempotencyKeyField()
  @IsOptional()
  @IsString()
  @Length(1, 255)
  idempotencyKey?: string;
}

@InputType({ description: 'Captures an authorized payment, fully or partly.' })
export class CapturePaymentInput {
  @Field(() => ID, { description: 'The payment.' })
  @IsUUID()
  paymentId: string;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Minor units to capture; default all that was authorized.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  amountMinor?: number;

  @IdempotencyKeyField()
  @IsOptional()
  @IsString()
  @Length(1, 255)
  idempotencyKey?: string;
}

@InputType({ description: 'Cancels a payment not yet captured (voids an authorization).' })
export class CancelPaymentInput {
  @Field(() => ID, { description: 'The payment.' })
  @IsUUID()
  paymentId: string;

  @Field({ nullable: true, description: 'Why.' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  reason?: string;

  @IdempotencyKeyField()
  @IsOptional()
  @IsString()
  @Length(1, 255)
  idempotencyKey?: string;
}

@InputType({
  description:
    'Refunds a captured payment, fully or partly; never more than captured minus refunded.',
})
export class RefundPaymentInput {
  @Field(() => ID, { description: 'The payment.' })
  @IsUUID()
  paymentId: string;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Minor units to refund; default everything still refundable.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  amountMinor?: number;

  @Field({ nullable: true, description: 'Why.' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  reason?: string;

  @IdempotencyKeyField()
  @IsOptional()
  @IsString()
  @Length(1, 255)
  idempotencyKey?: string;
}

@InputType({ description: 'An admin’s decision on a payment held for risk review.' })
export class ReviewPaymentInput {
  @Field(() => ID, { description: 'The payment.' })
  @IsUUID()
  paymentId: string;

  @Field({ description: 'True to let it proceed to the gateway, false to fail it.' })
  @IsBoolean()
  approve: boolean;

  @Field({ nullable: true, description: 'A note for the audit log.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

@ArgsType()
export class PaymentsArgs extends PageArgs {
  @Field(() => PaymentStatus, { nullable: true, description: 'Only payments in this status.' })
  @IsOptional()
  @IsEnum(PaymentStatus)
  status?: PaymentStatus;

  @Field(() => ID, { nullable: true, description: 'Only payments of this order.' })
  @IsOptional()
  @IsUUID()
  orderId?: string;

  @Field({
    nullable: true,
    description: 'Only payments through this gateway (`wallet` for WALLET_BALANCE payments).',
  })
  @IsOptional()
  @IsIn([...GATEWAY_CODES, ...INTERNAL_GATEWAY_CODES])
  gatewayCode?: string;

  @Field({ nullable: true, description: 'Only payments that do (or do not) need review.' })
  @IsOptional()
  @IsBoolean()
  needsReview?: boolean;
}

@ArgsType()
export class GatewayWebhookEventsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'RECEIVED, PROCESSED, IGNORED or FAILED.' })
  @IsOptional()
  @IsIn(['RECEIVED', 'PROCESSED', 'IGNORED', 'FAILED'])
  status?: WebhookEventStatus;

  @Field({ nullable: true, description: 'Only events from this gateway.' })
  @IsOptional()
  @IsIn(GATEWAY_CODES)
  gatewayCode?: string;

  @Field(() => ID, { nullable: true, description: 'Only events applied to this payment.' })
  @IsOptional()
  @IsUUID()
  paymentId?: string;
}

@InputType({ description: 'Switches one gateway on or off for the caller’s merchant.' })
export class ConfigureMerchantGatewayInput {
  @Field({ description: 'zaakpay, mpesa, paypal or stripe.' })
  @IsIn(GATEWAY_CODES)
  gatewayCode: string;

  @Field({ description: 'Whether payments may use it.' })
  @IsBoolean()
  enabled: boolean;

  @Field({
    nullable: true,
    description: 'Name of the credentials in the secret store (never the secret itself).',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:/-]{1,200}$/, {
    message: 'credentialsRef must be a secret-store key name',
  })
  credentialsRef?: string;
}

@InputType({ description: 'A routing rule; empty conditions match every payment.' })
export class CreateRoutingRuleInput {
  @Field({ description: 'A label.' })
  @IsString()
  @Length(1, 100)
  name: string;

  @Field(() => Int, { description: 'Lower runs first; equal priorities split by weight.' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  priority: number;

  @Field({ description: 'The gateway matching payments go to.' })
  @IsIn(GATEWAY_CODES)
  gatewayCode: string;

  @Field({ nullable: true, description: 'Only this currency.' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code' })
  currency?: string;

  @Field(() => PaymentMethod, { nullable: true, description: 'Only this payment method.' })
  @IsOptional()
  @IsEnum(PaymentMethod)
  paymentMethod?: PaymentMethod;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Only amounts at least this (minor units).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  minAmountMinor?: number;

  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Only amounts at most this (minor units).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  maxAmountMinor?: number;

  @Field({ nullable: true, description: 'Only customers of this country (ISO 3166-1 alpha-2).' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be two capital letters' })
  country?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Share among rules of equal priority (1-100, default 100).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  weight?: number;
}
