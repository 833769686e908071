import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { RequireScopes, Roles } from '../../common/auth/roles.decorator';
import { AuditActorParam } from '../audit/audit-actor';
import type { AuditActor } from '../audit/audit.types';
import { Role } from '../users/role';
import {
  CancelPaymentInput,
  CapturePaymentInput,
  ConfirmPaymentInput,
  CreatePaymentInput,
  PaymentsArgs,
  RefundPaymentInput,
} from './dto/payments.inputs';
import { toPaymentMethodKind } from './models/payment-enums';
import {
  Payment,
  PaymentAttempt,
  PaymentConnection,
  Refund,
  toPaymentAttemptModel,
  toPaymentModel,
  toRefundModel,
} from './models/payment.model';
import { PaymentsService } from './payments.service';

const PAYERS = [Role.CUSTOMER, Role.MERCHANT];
const READERS = [Role.CUSTOMER, Role.MERCHANT, Role.SUPPORT, Role.ADMIN];

@Resolver(() => Payment)
export class PaymentsResolver {
  constructor(private readonly paymentsService: PaymentsService) {}

  @Mutation(() => Payment, {
    description:
      'Starts paying an order through the routed gateway (with failover) and returns what the customer must do next.',
  })
  @Roles(...PAYERS)
  @RequireScopes('payments:write')
  async createPayment(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The order, method and return URLs.' }) input: CreatePaymentInput,
  ): Promise<Payment> {
    const payment = await this.paymentsService.create(caller, actor, {
      ...input,
      paymentMethod: toPaymentMethodKind(input.paymentMethod),
      captureMode: input.captureMode === 'MANUAL' ? 'manual' : 'automatic',
    });
    return toPaymentModel(payment);
  }

  @Mutation(() => Payment, {
    description:
      'After the customer acted at the gateway: completes a PayPal approval, or fetches the gateway’s status.',
  })
  @Roles(...PAYERS)
  @RequireScopes('payments:write')
  async confirmPayment(
    @CurrentUser() caller: AuthUser,
    @Args('input', { description: 'The payment.' }) input: ConfirmPaymentInput,
  ): Promise<Payment> {
    return toPaymentModel(
      await this.paymentsService.confirm(caller, input.paymentId, input.idempotencyKey),
    );
  }

  @Mutation(() => Payment, { description: 'Captures an authorized payment, fully or partly.' })
  @Roles(Role.MERCHANT, Role.ADMIN)
  @RequireScopes('payments:write')
  async capturePayment(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The payment and amount.' }) input: CapturePaymentInput,
  ): Promise<Payment> {
    return toPaymentModel(
      await this.paymentsService.capture(
        caller,
        actor,
        input.paymentId,
        input.amountMinor,
        input.idempotencyKey,
      ),
    );
  }

  @Mutation(() => Payment, {
    description: 'Cancels a payment not yet captured, voiding any authorization.',
  })
  @Roles(Role.CUSTOMER, Role.MERCHANT, Role.ADMIN)
  @RequireScopes('payments:write')
  async cancelPayment(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The payment and reason.' }) input: CancelPaymentInput,
  ): Promise<Payment> {
    return toPaymentModel(
      await this.paymentsService.cancel(
        caller,
        actor,
        input.paymentId,
        input.reason,
        input.idempotencyKey,
      ),
    );
  }

  @Mutation(() => Refund, {
    description:
      'Refunds a captured payment, fully or partly; never more than captured minus refunded.',
  })
  @Roles(Role.MERCHANT, Role.ADMIN)
  @RequireScopes('payments:write')
  async refundPayment(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The payment, amount and reason.' }) input: RefundPaymentInput,
  ): Promise<Refund> {
    return toRefundModel(
      await this.paymentsService.refund(
        caller,
        actor,
        input.paymentId,
        input.amountMinor,
        input.reason,
        input.idempotencyKey,
      ),
    );
  }

  @Query(() => Payment, { description: 'One payment the caller may see.' })
  @Roles(...READERS)
  @RequireScopes('payments:read')
  async payment(
    @CurrentUser() caller: AuthUser,
    @Args('id', { type: () => ID, description: 'The payment id.' }, ParseUUIDPipe) id: string,
  ): Promise<Payment> {
    return toPaymentModel(await this.paymentsService.findVisibleOrThrow(caller, id));
  }

  @Query(() => PaymentConnection, {
    description: 'Payments, newest first: a customer’s own, a merchant’s own, or all for staff.',
  })
  @Roles(...READERS)
  @RequireScopes('payments:read')
  async payments(
    @CurrentUser() caller: AuthUser,
    @Args() args: PaymentsArgs,
  ): Promise<PaymentConnection> {
    const page = await this.paymentsService.list(caller, {
      status: args.status,
      orderId: args.orderId,
      gatewayCode: args.gatewayCode,
      needsReview: args.needsReview,
      first: args.first ?? 20,
      after: args.after,
    });
    return {
      ...page,
      edges: page.edges.map((e) => ({ cursor: e.cursor, node: toPaymentModel(e.node) })),
    };
  }

  @Query(() => Refund, { description: 'One refund the caller may see.' })
  @Roles(...READERS)
  @RequireScopes('payments:read')
  async refund(
    @CurrentUser() caller: AuthUser,
    @Args('id', { type: () => ID, description: 'The refund id.' }, ParseUUIDPipe) id: string,
  ): Promise<Refund> {
    return toRefundModel(await this.paymentsService.findRefundVisibleOrThrow(caller, id));
  }

  @ResolveField(() => [PaymentAttempt], { description: 'Every gateway try, oldest first.' })
  async attempts(@Parent() payment: Payment): Promise<PaymentAttempt[]> {
    return (await this.paymentsService.attemptsOf(payment.id)).map(toPaymentAttemptModel);
  }

  @ResolveField(() => [Refund], { description: 'Refunds, oldest first.' })
  async refunds(@Parent() payment: Payment): Promise<Refund[]> {
    return (await this.paymentsService.refundsOf(payment.id)).map(toRefundModel);
  }
}
