import { isGatewayError } from '../../../gateways/gateway.error';
import { systemActor } from '../../audit/audit-actor';
import type { WalletPayoutEntity } from './wallet-payout.entity';
import { WalletPayoutReconciliationService } from './wallet-payout-reconciliation.service';
import { WalletPayoutStatus } from './wallet-payout-status';

const payoutIn = (status: WalletPayoutStatus): WalletPayoutEntity =>
  ({
    id: '2c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f',
    gatewayCode: 'paypal',
    amountMinor: 1_000,
    currency: 'USD',
    status,
    // The answer to our call was lost: we hold no handle to query by.
    gatewayReference: null,
  }) as unknown as WalletPayoutEntity;

function serviceWith() {
  const gateway = { code: 'paypal', fetchPayoutStatus: jest.fn() };
  const payoutsService = {
    callGateway: jest.fn(() => Promise.resolve({ status: 'pending' })),
    findByIdOrThrow: jest.fn<Promise<WalletPayoutEntity>, [string]>(),
  };
  const settlement = { apply: jest.fn((id: string) => Promise.resolve({ id })) };
  const service = new WalletPayoutReconciliationService(
    ...([
      null,
      null,
      { getOrThrow: () => gateway },
      settlement,
      payoutsService,
      null,
      {},
      {},
    ] as unknown as ConstructorParameters<typeof WalletPayoutReconciliationService>),
  );
  return { service, payoutsService, settlement };
}

describe('WalletPayoutReconciliationService.confirm', () => {
  it('learns about an open payout without a handle by sending it again under the same id', async () => {
    const { service, payoutsService, settlement } = serviceWith();
    await service.confirm(payoutIn(WalletPayoutStatus.UNKNOWN), 'webhook', systemActor('test'));
    expect(payoutsService.callGateway).toHaveBeenCalledWith(
      expect.objectContaining({ status: WalletPayoutStatus.UNKNOWN }),
      false,
    );
    expect(settlement.apply).toHaveBeenCalledTimes(1);
  });

  it('never sends a settled payout again: a FAILED one gave its money back', async () => {
    for (const status of [WalletPayoutStatus.FAILED, WalletPayoutStatus.SUCCEEDED]) {
      const { service, payoutsService, settlement } = serviceWith();
      const error = await service.confirm(payoutIn(status), 'webhook', systemActor('test')).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isGatewayError(error)).toBe(true);
      expect(payoutsService.callGateway).not.toHaveBeenCalled();
      expect(settlement.apply).not.toHaveBeenCalled();
    }
  });
});

describe('WalletPayoutReconciliationService.reconcile', () => {
  it('keeps to the schedule when applying fails for a reason of ours, so the payout ends in review', async () => {
    const { service, settlement, payoutsService } = serviceWith();
    const open = payoutIn(WalletPayoutStatus.UNKNOWN);
    payoutsService.findByIdOrThrow.mockResolvedValue(open);
    settlement.apply.mockImplementation(() => Promise.reject(new Error('hold row missing')));
    const scheduleNext = jest
      .spyOn(service as unknown as { scheduleNext: () => Promise<string> }, 'scheduleNext')
      .mockResolvedValue('flagged');
    const outcome = await service.reconcile(open.id, systemActor('test'));
    expect(scheduleNext).toHaveBeenCalledTimes(1);
    expect(outcome.result).toBe('flagged');
  });
});
