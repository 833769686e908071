import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { Roles } from '../../common/auth/roles.decorator';
import { AuditActorParam } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import type { AuditActor } from '../audit/audit.types';
import { Role } from '../users/role';
import { GatewayWebhookEventsArgs, ReviewPaymentInput } from './dto/payments.inputs';
import { Payment, toPaymentModel } from './models/payment.model';
import {
  GatewayWebhookEvent,
  GatewayWebhookEventConnection,
  toGatewayWebhookEventModel,
} from './models/payments-admin.model';
import { PaymentsService } from './payments.service';
import { ReconciliationService } from './reconciliation/reconciliation.service';
import { GatewayWebhooksService } from './webhooks/gateway-webhooks.service';

/** Operations for staff: the callback inbox, replays, risk reviews, manual reconciliation. */
@Resolver()
export class PaymentsAdminResolver {
  constructor(
    private readonly paymentsService: PaymentsService,
    private readonly webhooks: GatewayWebhooksService,
    private readonly reconciliation: ReconciliationService,
    private readonly audit: AuditService,
  ) {}

  @Query(() => GatewayWebhookEventConnection, {
    description: 'The gateway callback inbox, newest first.',
  })
  @Roles(Role.ADMIN, Role.SUPPORT)
  async gatewayWebhookEvents(
    @Args() args: GatewayWebhookEventsArgs,
  ): Promise<GatewayWebhookEventConnection> {
    const page = await this.webhooks.list({ ...args, first: args.first ?? 20 });
    return {
      ...page,
      edges: page.edges.map((e) => ({
        cursor: e.cursor,
        node: toGatewayWebhookEventModel(e.node),
      })),
    };
  }

  @Mutation(() => GatewayWebhookEvent, {
    description:
      'Queues a stored gateway callback again (e.g. one that failed for good); applying it twice changes nothing.',
  })
  @Roles(Role.ADMIN)
  async reprocessGatewayWebhookEvent(
    @AuditActorParam() actor: AuditActor,
    @Args('id', { type: () => ID, description: 'The inbox row id.' }, ParseUUIDPipe) id: string,
  ): Promise<GatewayWebhookEvent> {
    const row = await this.webhooks.reprocess(id);
    await this.audit.record(null, {
      actor,
      action: 'webhook.reprocess',
      objectType: 'webhook_event',
      objectId: id,
    });
    return toGatewayWebhookEventModel(row);
  }

  @Mutation(() => Payment, { description: 'Approves or rejects a payment held by the risk rules.' })
  @Roles(Role.ADMIN)
  async reviewPayment(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The payment and decision.' }) input: ReviewPaymentInput,
  ): Promise<Payment> {
    return toPaymentModel(
      await this.paymentsService.resolveReview(
        caller,
        actor,
        input.paymentId,
        input.approve,
        input.note,
      ),
    );
  }

  @Mutation(() => Payment, {
    description: 'Asks the gateway about a payment now, instead of waiting for the reconciler.',
  })
  @Roles(Role.ADMIN, Role.SUPPORT)
  async reconcilePayment(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('id', { type: () => ID, description: 'The payment id.' }, ParseUUIDPipe) id: string,
  ): Promise<Payment> {
    await this.paymentsService.findVisibleOrThrow(caller, id);
    await this.reconciliation.reconcilePayment(id);
    await this.audit.record(null, {
      actor,
      action: 'payment.reconcile',
      objectType: 'payment',
      objectId: id,
    });
    return toPaymentModel(await this.paymentsService.findVisibleOrThrow(caller, id));
  }
}
