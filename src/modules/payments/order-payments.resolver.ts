import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { RequireScopes, Roles } from '../../common/auth/roles.decorator';
import { AuditActorParam } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import type { AuditActor } from '../audit/audit.types';
import { Order, toOrderModel } from '../orders/models/order.model';
import { OrdersService } from '../orders/orders.service';
import { Role } from '../users/role';
import { Payment, toPaymentModel } from './models/payment.model';
import { PaymentsService } from './payments.service';

/** What payments add to orders: their payments, and cancelling (which must know about payments). */
@Resolver(() => Order)
export class OrderPaymentsResolver {
  constructor(
    private readonly orders: OrdersService,
    private readonly paymentsService: PaymentsService,
    private readonly audit: AuditService,
  ) {}

  @ResolveField(() => [Payment], { description: 'The order’s payments, newest first.' })
  async payments(@CurrentUser() caller: AuthUser, @Parent() order: Order): Promise<Payment[]> {
    const page = await this.paymentsService.list(caller, { orderId: order.id, first: 100 });
    return page.edges.map((edge) => toPaymentModel(edge.node));
  }

  @Mutation(() => Order, {
    description: 'Cancels an unpaid order that has no payment in progress.',
  })
  @Roles(Role.MERCHANT, Role.ADMIN)
  @RequireScopes('orders:write')
  async cancelOrder(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('id', { type: () => ID, description: 'The order id.' }, ParseUUIDPipe) id: string,
  ): Promise<Order> {
    const order = await this.orders.cancel(
      caller,
      id,
      (manager) => this.paymentsService.hasOpenPayment(manager, id),
      (manager, cancelled) =>
        this.paymentsService.recordOrderEvent(manager, cancelled, 'order.cancelled'),
    );
    this.paymentsService.kickOutbox();
    await this.audit.record(null, {
      actor,
      action: 'order.cancel',
      objectType: 'order',
      objectId: id,
      merchantId: order.merchantId,
    });
    return toOrderModel(order);
  }
}
