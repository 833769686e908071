import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { RequireScopes, Roles } from '../../common/auth/roles.decorator';
import { Role } from '../users/role';
import type { PaymentEntity } from './entities/payment.entity';
import { Payment, toPaymentModel } from './models/payment.model';
import { PaymentUpdatesSubscriber } from './payment-updates.subscriber';

@Resolver()
export class PaymentUpdatesResolver {
  constructor(private readonly updates: PaymentUpdatesSubscriber) {}

  @Subscription(() => Payment, {
    nullable: true,
    description:
      'The payment now, then again after every committed change, until the client unsubscribes. ' +
      'Served over graphql-ws (graphql-transport-ws) on /graphql; authenticate with ' +
      '`connectionParams: { authorization: "Bearer <token>" }`.',
    // Each event is the entity re-read after the change; map it like any other payment.
    resolve: (payment: PaymentEntity): Payment => toPaymentModel(payment),
  })
  @Roles(Role.CUSTOMER, Role.MERCHANT, Role.SUPPORT, Role.ADMIN)
  @RequireScopes('payments:read')
  paymentUpdated(
    @CurrentUser() caller: AuthUser,
    @Args('paymentId', { type: () => ID, description: 'The payment to follow.' }, ParseUUIDPipe)
    paymentId: string,
  ): Promise<AsyncIterableIterator<PaymentEntity>> {
    return this.updates.follow(caller, paymentId);
  }
}
