import type { GatewayEvent } from '../../../gateways/payment-gateway';
import { GatewayEventHandlers } from './gateway-event-handlers';

describe('GatewayEventHandlers', () => {
  const event = { type: 'payout.succeeded' } as GatewayEvent;

  it('finds the handler registered for the longest matching prefix', async () => {
    const handlers = new GatewayEventHandlers();
    handlers.register('payout.', () => Promise.resolve({ status: 'IGNORED', note: 'general' }));
    handlers.register('payout.succeeded', () => Promise.resolve({ status: 'PROCESSED' }));
    await expect(handlers.handlerFor('payout.succeeded')!(event)).resolves.toEqual({
      status: 'PROCESSED',
    });
    await expect(handlers.handlerFor('payout.failed')!(event)).resolves.toMatchObject({
      status: 'IGNORED',
    });
    expect(handlers.handlerFor('dispute.opened')).toBeUndefined();
  });

  it('refuses a second handler for the same prefix', () => {
    const handlers = new GatewayEventHandlers();
    handlers.register('payout.', () => Promise.resolve({ status: 'PROCESSED' }));
    expect(() =>
      handlers.register('payout.', () => Promise.resolve({ status: 'PROCESSED' })),
    ).toThrow(/already registered/);
  });
});
