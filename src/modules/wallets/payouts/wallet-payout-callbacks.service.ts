import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { isGatewayError } from '../../../gateways/gateway.error';
import type { GatewayEvent, PayoutOutcome } from '../../../gateways/payment-gateway';
import { gatewayActor } from '../../audit/audit-actor';
import type { AuditActor } from '../../audit/audit.types';
import {
  GatewayEventHandlers,
  type GatewayEventHandling,
} from '../../payments/webhooks/gateway-event-handlers';
import { WalletPayoutEntity } from './wallet-payout.entity';
import { WalletPayoutReconciliationService } from './wallet-payout-reconciliation.service';
import { WalletPayoutSettlementService } from './wallet-payout-settlement.service';
import {
  isFinalPayoutStatus,
  OPEN_WALLET_PAYOUT_STATUSES,
  WalletPayoutStatus,
} from './wallet-payout-status';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Thrown while our own gateway call is still in flight; the inbox job retries with backoff. */
export class PayoutNotReadyError extends Error {}

/**
 * Applies payout.succeeded / payout.failed callbacks from the payments module's inbox, which hands
 * us every `payout.` event (registered at start-up; payments does not import wallets).
 */
@Injectable()
export class WalletPayoutCallbacksService implements OnModuleInit {
  constructor(
    private readonly handlers: GatewayEventHandlers,
    @InjectRepository(WalletPayoutEntity)
    private readonly payouts: Repository<WalletPayoutEntity>,
    private readonly settlement: WalletPayoutSettlementService,
    private readonly reconciliation: WalletPayoutReconciliationService,
  ) {}

  onModuleInit(): void {
    this.handlers.register('payout.', (event) => this.handle(event));
  }

  async handle(event: GatewayEvent): Promise<GatewayEventHandling> {
    if (event.type !== 'payout.succeeded' && event.type !== 'payout.failed') {
      return { status: 'IGNORED', note: `${event.type} does not settle a payout` };
    }
    const payout = await this.match(event);
    if (!payout) return { status: 'IGNORED', note: 'No wallet payout matches this event' };
    const actor = gatewayActor(event.gatewayCode);
    const told =
      event.type === 'payout.succeeded' ? WalletPayoutStatus.SUCCEEDED : WalletPayoutStatus.FAILED;
    if (payout.status === told) {
      return { status: 'PROCESSED', note: `Payout already ${told}` };
    }
    // Our payout request carries our id as its originator id: its result echoes it, and so does a
    // status answer about it. Unsigned news naming another one is not about this payout's request:
    // a status answer about some other transaction must not settle it, and a plain result with
    // another id is the reply to our own status query that could not say (an error code, no
    // TransactionStatus). Asking again would only loop, and its code is not the payout's failure
    // reason; the reconciler asks on its own schedule.
    const originator = event.payoutReference?.extra?.originatorConversationId;
    if (event.trust === 'unverified' && originator && originator !== payout.id) {
      return {
        status: 'IGNORED',
        note: event.answersStatusQuery
          ? `The status answer is about request ${originator}, not payout ${payout.id}`
          : `A status query about payout ${payout.id} got no answer (${event.decline?.gatewayCode ?? 'no code'}); the reconciler will ask again`,
      };
    }
    // Unsigned results (M-Pesa) are a hint: ask the gateway, as applyRefundEvent does. Its answer
    // to our status query is itself the confirmation (answersStatusQuery) and is applied as it stands.
    if (event.trust === 'unverified' && !event.answersStatusQuery) {
      if (isFinalPayoutStatus(payout.status)) {
        return this.recheckSettled(payout, event, actor);
      }
      if (payout.status === WalletPayoutStatus.PENDING && !payout.gatewayReference) {
        throw new PayoutNotReadyError(
          `Payout ${payout.id} is still being sent to ${payout.gatewayCode}; retry later`,
        );
      }
      // The status answer says only "Failed": keep the hint's reason for when it is confirmed.
      if (event.type === 'payout.failed' && event.decline && !isFinalPayoutStatus(payout.status)) {
        await this.payouts.update(
          { id: payout.id, status: In([...OPEN_WALLET_PAYOUT_STATUSES]) },
          {
            failureCode: event.decline.gatewayCode.slice(0, 64),
            failureMessage: event.decline.message.slice(0, 255),
          },
        );
      }
      const confirmed = await this.reconciliation.confirm(payout, 'webhook', actor);
      return { status: 'PROCESSED', note: this.noteFor(confirmed) };
    }
    const applied = await this.settlement.apply(
      payout.id,
      this.outcomeOf(event, payout),
      'webhook',
      actor,
    );
    return { status: 'PROCESSED', note: this.noteFor(applied) };
  }

  /**
   * An unverified result contradicting a settled payout (told differs from its status). Ask the
   * gateway; the answer (a status callback) is applied as usual and flags a real contradiction.
   * If it cannot be asked (no queryable reference, an error), a person decides: retrying until the
   * inbox gives up would lose a possible "paid after we gave the money back".
   */
  private async recheckSettled(
    payout: WalletPayoutEntity,
    event: GatewayEvent,
    actor: AuditActor,
  ): Promise<GatewayEventHandling> {
    try {
      const confirmed = await this.reconciliation.confirm(payout, 'webhook', actor);
      return { status: 'PROCESSED', note: this.noteFor(confirmed) };
    } catch (error) {
      if (!isGatewayError(error)) throw error;
      const said = event.type === 'payout.succeeded' ? 'succeeded' : 'failed';
      const flagged = await this.settlement.flagForReview(
        payout.id,
        `${payout.gatewayCode} reported (unverified) that the ${payout.status} payout ${said}, and it could not be checked (${error.kind}); nothing moved`,
        actor,
      );
      return { status: 'PROCESSED', note: this.noteFor(flagged) };
    }
  }

  /**
   * Our payout id is the gateway's originator id: M-Pesa echoes it as the subject of the callback
   * URL and OriginatorConversationID, PayPal as the item's sender_item_id (attemptId). PayPal's own
   * handle, the payout_batch_id, is matched against the stored reference.
   */
  private async match(event: GatewayEvent): Promise<WalletPayoutEntity | null> {
    const candidates = [
      event.attemptId,
      event.payoutReference?.id,
      event.reference.id,
      event.payoutReference?.extra?.originatorConversationId,
    ].filter((value): value is string => Boolean(value));
    for (const candidate of new Set(candidates)) {
      if (UUID.test(candidate)) {
        const ours = await this.payouts.findOneBy({
          id: candidate,
          gatewayCode: event.gatewayCode,
        });
        if (ours) return ours;
      }
      const byReference = await this.payouts.findOneBy({
        gatewayCode: event.gatewayCode,
        gatewayReferenceId: candidate.slice(0, 128),
      });
      if (byReference) return byReference;
    }
    return null;
  }

  private outcomeOf(event: GatewayEvent, payout: WalletPayoutEntity): PayoutOutcome {
    const payoutReference = event.payoutReference ?? payout.gatewayReference ?? { id: payout.id };
    const amount = event.amount ?? { amountMinor: payout.amountMinor, currency: payout.currency };
    if (event.type === 'payout.succeeded') return { status: 'succeeded', payoutReference, amount };
    if (event.answersStatusQuery) {
      // A status answer carries only the final state; the original result's reason, if we heard it, is better.
      const state = event.decline?.gatewayCode ?? 'failed';
      return {
        status: 'failed',
        payoutReference,
        amount,
        failure: {
          gatewayCode: payout.failureCode ?? state,
          message:
            payout.failureMessage ?? `The gateway's status query reports the payout ${state}`,
        },
      };
    }
    return {
      status: 'failed',
      payoutReference,
      amount,
      failure: {
        gatewayCode: event.decline?.gatewayCode ?? 'failed',
        message: event.decline?.message ?? 'The gateway reported that the payout failed',
      },
    };
  }

  private noteFor(payout: WalletPayoutEntity): string | null {
    return payout.needsReview ? `Payout needs review: ${payout.reviewReason ?? ''}` : null;
  }
}
