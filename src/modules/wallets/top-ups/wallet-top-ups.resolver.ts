import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { AuthUser } from '../../../common/auth/auth-user';
import { CurrentUser } from '../../../common/auth/current-user.decorator';
import { Roles, SessionOnly } from '../../../common/auth/roles.decorator';
import { AuditActorParam } from '../../audit/audit-actor';
import type { AuditActor } from '../../audit/audit.types';
import { CaptureMode, toPaymentMethodKind } from '../../payments/models/payment-enums';
import { Payment, toPaymentModel } from '../../payments/models/payment.model';
import { Role } from '../../users/role';
import { TopUpWalletInput } from './top-up.inputs';
import { WalletTopUpsService } from './wallet-top-ups.service';

@Resolver(() => Payment)
export class WalletTopUpsResolver {
  constructor(private readonly topUps: WalletTopUpsService) {}

  @Mutation(() => Payment, {
    description:
      'Tops up one of your wallets through a gateway payment. Follow its nextAction like any payment; the wallet is credited once, when the gateway captures.',
  })
  @Roles(Role.CUSTOMER, Role.MERCHANT)
  @SessionOnly()
  async topUpWallet(
    @CurrentUser() caller: AuthUser,
    @AuditActorParam() actor: AuditActor,
    @Args('input', { description: 'The wallet, amount, method and return URLs.' })
    input: TopUpWalletInput,
  ): Promise<Payment> {
    const payment = await this.topUps.topUp(caller, actor, {
      ...input,
      paymentMethod: toPaymentMethodKind(input.paymentMethod),
      captureMode: input.captureMode === CaptureMode.MANUAL ? 'manual' : 'automatic',
    });
    return toPaymentModel(payment);
  }
}
