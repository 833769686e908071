import { GatewayError } from '../../../gateways/gateway.error';
import type { PayoutOutcome, PayoutRequest } from '../../../gateways/payment-gateway';
import type { WalletPayoutEntity } from './wallet-payout.entity';
import { WalletPayoutStatus } from './wallet-payout-status';
import { WalletPayoutsService } from './wallet-payouts.service';

const PAYOUT = {
  id: '6f1c2b0e-4a57-4d8b-9a39-2f7d0c1e5b11',
  gatewayCode: 'mpesa',
  amountMinor: 10_000,
  currency: 'KES',
  recipient: '254708374149',
  note: null,
  status: WalletPayoutStatus.PENDING,
} as unknown as WalletPayoutEntity;

/** The service with only what callGateway touches: the registry and the callback URL. */
function serviceWhosePayout(payout: (request: PayoutRequest) => Promise<PayoutOutcome>) {
  const calls: PayoutRequest[] = [];
  const gateway = {
    code: 'mpesa',
    payout: (request: PayoutRequest) => {
      calls.push(request);
      return payout(request);
    },
  };
  const registry = { getOrThrow: () => gateway };
  const payments = { callbackUrl: (code: string) => `https://payrail.test/webhooks/${code}` };
  const service = new WalletPayoutsService(
    ...([
      null,
      null,
      null,
      null,
      null,
      registry,
      payments,
      null,
      null,
      {},
    ] as unknown as ConstructorParameters<typeof WalletPayoutsService>),
  );
  return { service, calls };
}

const failing = (error: Error) => () => Promise.reject(error);

describe('WalletPayoutsService.callGateway', () => {
  it('sends our payout id, amount and stored recipient', async () => {
    const { service, calls } = serviceWhosePayout((request) =>
      Promise.resolve({
        status: 'pending',
        payoutReference: { id: request.payoutId },
        amount: request.amount,
      }),
    );
    expect(await service.callGateway(PAYOUT, true)).toMatchObject({ status: 'pending' });
    expect(calls).toEqual([
      expect.objectContaining({
        payoutId: PAYOUT.id,
        amount: { amountMinor: 10_000, currency: 'KES' },
        recipient: { phone: '254708374149' },
        callbackUrl: 'https://payrail.test/webhooks/mpesa',
      }),
    ]);
  });

  it('fails the payout on a first-try refusal that proves nothing was sent', async () => {
    for (const kind of ['rejected', 'invalid_request', 'misconfigured'] as const) {
      const { service } = serviceWhosePayout(
        failing(new GatewayError(kind, 'refused', { gatewayErrorCode: 'E1' })),
      );
      expect(await service.callGateway(PAYOUT, true)).toMatchObject({
        status: 'failed',
        failure: { gatewayCode: 'E1' },
      });
    }
  });

  it('leaves the outcome unknown on a 5xx or unreachable gateway: the payout may have been made', async () => {
    // M-Pesa B2C is resent by the transport after a timeout, so a 503 or a refused connection on
    // a later try says nothing about the first one; a PayPal 5xx may also follow a processed request.
    for (const error of [
      new GatewayError('unavailable', 'M-Pesa HTTP 503', { httpStatus: 503 }),
      new GatewayError('unavailable', 'mpesa unreachable (ECONNREFUSED)'),
      new GatewayError('timeout', 'no answer within 15000ms; outcome unknown'),
    ]) {
      const { service } = serviceWhosePayout(failing(error));
      const result = await service.callGateway(PAYOUT, true);
      expect(result).toMatchObject({ status: 'unknown' });
      expect(result.status === 'unknown' && result.message).toContain(error.kind);
    }
  });

  it('never fails a payout on a repeat, whatever the error', async () => {
    const { service } = serviceWhosePayout(failing(new GatewayError('rejected', 'refused')));
    expect(await service.callGateway(PAYOUT, false)).toMatchObject({ status: 'unknown' });
  });
});
