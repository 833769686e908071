import { GatewayError } from '../../../gateways/gateway.error';
import { fromResult } from '../../../gateways/mpesa/mpesa.mapper';
import type { MpesaResult } from '../../../gateways/mpesa/mpesa.types';
import type { GatewayEvent } from '../../../gateways/payment-gateway';
import { WalletPayoutCallbacksService } from './wallet-payout-callbacks.service';
import type { WalletPayoutEntity } from './wallet-payout.entity';
import { WalletPayoutStatus } from './wallet-payout-status';

const PAYOUT_ID = '0b7e9c4a-3d21-4f6e-8a5b-1c2d3e4f5a6b';

const payoutIn = (
  status: WalletPayoutStatus,
  gatewayReference: WalletPayoutEntity['gatewayReference'],
): WalletPayoutEntity =>
  ({
    id: PAYOUT_ID,
    walletId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    gatewayCode: 'mpesa',
    amountMinor: 10_000,
    currency: 'KES',
    status,
    holdId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    gatewayReference,
    gatewayReferenceId: gatewayReference?.id ?? null,
    failureCode: null,
    failureMessage: null,
    needsReview: false,
    reviewReason: null,
  }) as unknown as WalletPayoutEntity;

/** What our own M-Pesa payout call stores: enough to ask for the status later. */
const QUERYABLE = {
  id: PAYOUT_ID,
  extra: {
    callbackUrl: 'https://payrail.test/webhooks/mpesa',
    amountMinor: '10000',
    originatorConversationId: PAYOUT_ID,
    conversationId: 'AG_20250101_0000aaaa',
  },
};

/**
 * A Result delivered to the payout's ResultURL (or, `statusQuery`, to the URL we gave a Transaction
 * Status query), mapped as the M-Pesa gateway maps it.
 */
const mpesaResult = (result: Partial<MpesaResult>, statusQuery = false): GatewayEvent => {
  const [event] = fromResult(
    {
      ResultType: 0,
      ResultCode: 0,
      ResultDesc: 'The service request is processed successfully.',
      OriginatorConversationID: PAYOUT_ID,
      ConversationID: 'AG_20250101_0000aaaa',
      ...result,
    },
    { kind: 'payout', id: PAYOUT_ID, statusQuery },
  );
  return event!;
};

function serviceWith(payout: WalletPayoutEntity, confirm: () => Promise<WalletPayoutEntity>) {
  const repository = {
    findOneBy: jest.fn((where: { id?: string }) =>
      Promise.resolve(where.id === PAYOUT_ID ? payout : null),
    ),
    update: jest.fn(() => Promise.resolve({ affected: 1 })),
  };
  const settlement = {
    apply: jest.fn(() => Promise.resolve(payout)),
    flagForReview: jest.fn((id: string, reason: string) =>
      Promise.resolve({ ...payout, needsReview: true, reviewReason: reason }),
    ),
  };
  const reconciliation = { confirm: jest.fn(confirm) };
  const service = new WalletPayoutCallbacksService(
    ...([
      { register: jest.fn() },
      repository,
      settlement,
      reconciliation,
    ] as unknown as ConstructorParameters<typeof WalletPayoutCallbacksService>),
  );
  return { service, repository, settlement, reconciliation };
}

describe('WalletPayoutCallbacksService (M-Pesa results)', () => {
  it('confirms a B2C failure result with a status query and keeps its reason meanwhile', async () => {
    const payout = payoutIn(WalletPayoutStatus.PROCESSING, QUERYABLE);
    const { service, repository, reconciliation } = serviceWith(payout, () =>
      Promise.resolve(payout),
    );
    const event = mpesaResult({
      ResultCode: 2040,
      ResultDesc:
        'Credit Party customer type (Unregistered or Registered Customer) can not be supported by the service.',
    });
    expect(event).toMatchObject({ type: 'payout.failed', trust: 'unverified' });
    expect(await service.handle(event)).toMatchObject({ status: 'PROCESSED' });
    expect(reconciliation.confirm).toHaveBeenCalledTimes(1);
    expect(repository.update).toHaveBeenCalledWith(
      expect.objectContaining({ id: PAYOUT_ID }),
      expect.objectContaining({ failureCode: '2040' }),
    );
  });

  it('does not answer a failed status query with another query, nor take its code as the reason', async () => {
    const payout = payoutIn(WalletPayoutStatus.PROCESSING, QUERYABLE);
    const { service, repository, reconciliation, settlement } = serviceWith(payout, () =>
      Promise.resolve(payout),
    );
    // What M-Pesa posts back when a Transaction Status query cannot answer: an error code, no
    // TransactionStatus parameter, and the query's own OriginatorConversationID (not our payout id).
    const event = mpesaResult({
      ResultCode: 'R000002',
      ResultDesc: 'The OriginalTransactionID is invalid.',
      OriginatorConversationID: '5e1f-4a3b-17000000000001-1',
      ConversationID: 'AG_20250101_0000bbbb',
      ResultParameters: { ResultParameter: [] },
    });
    expect(event).toMatchObject({ type: 'payout.failed', trust: 'unverified' });
    expect(event.answersStatusQuery).toBeUndefined();

    const handled = await service.handle(event);
    expect(handled.status).toBe('IGNORED');
    expect(reconciliation.confirm).not.toHaveBeenCalled();
    expect(repository.update).not.toHaveBeenCalled();
    expect(settlement.apply).not.toHaveBeenCalled();
  });

  it('applies a status answer about our payout request, and ignores one about another request', async () => {
    const answer = (originator: string) =>
      mpesaResult(
        {
          OriginatorConversationID: '7c3d-4e5f-17000000000002-1',
          ConversationID: 'AG_20250101_0000cccc',
          ResultParameters: {
            ResultParameter: [
              { Key: 'OriginatorConversationID', Value: originator },
              { Key: 'TransactionStatus', Value: 'Completed' },
              { Key: 'Amount', Value: 100 },
              { Key: 'ReceiptNo', Value: 'SIM0000001' },
            ],
          },
        },
        true,
      );
    const ours = answer(PAYOUT_ID);
    expect(ours).toMatchObject({ type: 'payout.succeeded', answersStatusQuery: true });
    const payout = payoutIn(WalletPayoutStatus.PROCESSING, QUERYABLE);
    const first = serviceWith(payout, () => Promise.resolve(payout));
    expect(await first.service.handle(ours)).toMatchObject({ status: 'PROCESSED' });
    expect(first.settlement.apply).toHaveBeenCalledWith(
      PAYOUT_ID,
      expect.objectContaining({
        status: 'succeeded',
        amount: { amountMinor: 10_000, currency: 'KES' },
      }),
      'webhook',
      expect.anything(),
    );

    const other = serviceWith(payout, () => Promise.resolve(payout));
    const handled = await other.service.handle(answer('3f2e1d0c-9b8a-4f7e-8d6c-5b4a3f2e1d0c'));
    expect(handled.status).toBe('IGNORED');
    expect(other.settlement.apply).not.toHaveBeenCalled();
    expect(other.reconciliation.confirm).not.toHaveBeenCalled();
  });

  it('flags a settled payout for review when an unverified contradicting result cannot be checked', async () => {
    // FAILED at once by a refusal: the stored reference cannot be queried at M-Pesa.
    const payout = payoutIn(WalletPayoutStatus.FAILED, { id: PAYOUT_ID });
    const { service, settlement } = serviceWith(payout, () =>
      Promise.reject(
        new GatewayError(
          'invalid_request',
          'The reference lacks the callbackUrl the status result is sent to',
        ),
      ),
    );
    const event = mpesaResult({ ResultCode: 0 });
    expect(event.type).toBe('payout.succeeded');

    const handled = await service.handle(event);
    expect(handled.status).toBe('PROCESSED');
    expect(settlement.flagForReview).toHaveBeenCalledTimes(1);
    expect(settlement.flagForReview).toHaveBeenCalledWith(
      PAYOUT_ID,
      expect.stringMatching(/succeeded/),
      expect.anything(),
    );
    expect(settlement.apply).not.toHaveBeenCalled();
  });
});
